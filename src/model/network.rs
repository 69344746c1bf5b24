//! VPC topology: VPCs, subnets classified public/private from their routes, gateways, security groups.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vpc {
    pub id: String,
    pub cidr: String,
    pub name: Option<String>,
    pub is_default: bool,
}

/// What a subnet's default route (0.0.0.0/0) says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubnetTier {
    /// 0.0.0.0/0 via an internet gateway.
    Public,
    /// 0.0.0.0/0 via a NAT gateway (or a NAT instance / other egress).
    Private,
    /// No default route at all.
    Isolated,
}

impl SubnetTier {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
            Self::Isolated => "isolated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub az: String,
    pub cidr: String,
    pub name: Option<String>,
    pub tier: SubnetTier,
    pub route_table_id: Option<String>,
    /// The target of the default route, e.g. `igw-…` or `nat-…`.
    pub default_route: Option<String>,
    pub available_ips: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum DefaultRoute {
    InternetGateway(String),
    NatGateway(String),
    Other(String),
}

impl DefaultRoute {
    #[must_use]
    pub fn target(&self) -> &str {
        match self {
            Self::InternetGateway(id) | Self::NatGateway(id) | Self::Other(id) => id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub main: bool,
    pub subnet_ids: Vec<String>,
    pub default_route: Option<DefaultRoute>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InternetGateway {
    pub id: String,
    pub vpc_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NatGateway {
    pub id: String,
    pub vpc_id: String,
    pub subnet_id: String,
    pub state: String,
    pub public_ip: Option<String>,
}

/// One security group rule, summarised for people: `tcp 3000 from sg-123 (navoy-alb)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SgRule {
    pub protocol: String,
    pub ports: String,
    pub peer: String,
}

impl std::fmt::Display for SgRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.protocol, self.ports, self.peer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub internet_gateways: Vec<InternetGateway>,
    pub nat_gateways: Vec<NatGateway>,
    pub security_groups: Vec<SecurityGroup>,
}

/// The route table that governs a subnet: its explicit association, else the VPC's main table.
#[must_use]
pub fn route_table_for<'a>(
    subnet_id: &str,
    vpc_id: &str,
    tables: &'a [RouteTable],
) -> Option<&'a RouteTable> {
    tables
        .iter()
        .find(|t| t.subnet_ids.iter().any(|s| s == subnet_id))
        .or_else(|| tables.iter().find(|t| t.main && t.vpc_id == vpc_id))
}

/// Classifies a subnet by where its default route goes.
#[must_use]
pub fn classify(default_route: Option<&DefaultRoute>) -> SubnetTier {
    match default_route {
        Some(DefaultRoute::InternetGateway(_)) => SubnetTier::Public,
        Some(DefaultRoute::NatGateway(_) | DefaultRoute::Other(_)) => SubnetTier::Private,
        None => SubnetTier::Isolated,
    }
}

impl Network {
    /// Fills each subnet's tier and route from the route tables (done once per snapshot).
    pub fn classify_subnets(&mut self) {
        for subnet in &mut self.subnets {
            let table = route_table_for(&subnet.id, &subnet.vpc_id, &self.route_tables);
            let route = table.and_then(|t| t.default_route.as_ref());
            subnet.tier = classify(route);
            subnet.route_table_id = table.map(|t| t.id.clone());
            subnet.default_route = route.map(|r| r.target().to_owned());
        }
    }

    #[must_use]
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    /// The subnet whose CIDR contains an IPv4 address (for targets registered by IP).
    #[must_use]
    pub fn subnet_containing(&self, ip: &str) -> Option<&Subnet> {
        let ip: std::net::Ipv4Addr = ip.parse().ok()?;
        self.subnets.iter().find(|s| cidr_contains(&s.cidr, ip))
    }
}

fn cidr_contains(cidr: &str, ip: std::net::Ipv4Addr) -> bool {
    let Some((base, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(base), Ok(bits)) = (base.parse::<std::net::Ipv4Addr>(), bits.parse::<u32>()) else {
        return false;
    };
    if bits > 32 {
        return false;
    }
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    (u32::from(base) & mask) == (u32::from(ip) & mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &str, main: bool, subnets: &[&str], route: Option<DefaultRoute>) -> RouteTable {
        RouteTable {
            id: id.into(),
            vpc_id: "vpc-1".into(),
            main,
            subnet_ids: subnets.iter().map(|s| (*s).to_owned()).collect(),
            default_route: route,
        }
    }

    fn subnet(id: &str, cidr: &str) -> Subnet {
        Subnet {
            id: id.into(),
            vpc_id: "vpc-1".into(),
            az: "us-east-1a".into(),
            cidr: cidr.into(),
            name: None,
            tier: SubnetTier::Isolated,
            route_table_id: None,
            default_route: None,
            available_ips: 250,
        }
    }

    #[test]
    fn subnets_are_classified_by_their_default_route() {
        let mut net = Network {
            subnets: vec![
                subnet("pub", "10.0.0.0/24"),
                subnet("priv", "10.0.10.0/24"),
                subnet("iso", "10.0.20.0/24"),
            ],
            route_tables: vec![
                table(
                    "rt-pub",
                    false,
                    &["pub"],
                    Some(DefaultRoute::InternetGateway("igw-1".into())),
                ),
                table(
                    "rt-priv",
                    false,
                    &["priv"],
                    Some(DefaultRoute::NatGateway("nat-1".into())),
                ),
                table("rt-main", true, &[], None),
            ],
            ..Network::default()
        };
        net.classify_subnets();
        let tiers: Vec<_> = net.subnets.iter().map(|s| s.tier).collect();
        assert_eq!(
            tiers,
            [
                SubnetTier::Public,
                SubnetTier::Private,
                SubnetTier::Isolated
            ]
        );
        assert_eq!(net.subnets[0].default_route.as_deref(), Some("igw-1"));
        assert_eq!(net.subnets[2].route_table_id.as_deref(), Some("rt-main"));
    }

    #[test]
    fn unassociated_subnet_uses_the_main_table() {
        let tables = [table(
            "rt-main",
            true,
            &[],
            Some(DefaultRoute::InternetGateway("igw".into())),
        )];
        let t = route_table_for("subnet-x", "vpc-1", &tables).map(|t| t.id.as_str());
        assert_eq!(t, Some("rt-main"));
        assert!(route_table_for("subnet-x", "vpc-other", &tables).is_none());
    }

    #[test]
    fn ip_lookup_respects_the_prefix() {
        let net = Network {
            subnets: vec![subnet("a", "10.40.10.0/24"), subnet("b", "10.40.11.0/24")],
            ..Network::default()
        };
        assert_eq!(
            net.subnet_containing("10.40.11.7").map(|s| s.id.as_str()),
            Some("b")
        );
        assert!(net.subnet_containing("10.40.12.1").is_none());
        assert!(net.subnet_containing("not-an-ip").is_none());
    }
}
