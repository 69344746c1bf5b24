//! EC2 network adapters: VPCs, subnets, route tables, gateways, security groups (all paged).

use aws_sdk_ec2::types as sdk;

use super::error::AwsError;
use super::{AwsContext, owned};
use crate::model::{
    DefaultRoute, InternetGateway, NatGateway, Network, RouteTable, SecurityGroup, SgRule, Subnet,
    SubnetTier, Vpc,
};

fn name_tag(tags: &[sdk::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| owned(t.value()))
}

fn default_route(rt: &sdk::RouteTable) -> Option<DefaultRoute> {
    let r = rt
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))?;
    if let Some(nat) = r.nat_gateway_id() {
        return Some(DefaultRoute::NatGateway(nat.to_owned()));
    }
    match r.gateway_id() {
        Some(gw) if gw.starts_with("igw-") => Some(DefaultRoute::InternetGateway(gw.to_owned())),
        Some(other) => Some(DefaultRoute::Other(other.to_owned())),
        None => r
            .instance_id()
            .or(r.network_interface_id())
            .or(r.transit_gateway_id())
            .map(|t| DefaultRoute::Other(t.to_owned())),
    }
}

fn rule(p: &sdk::IpPermission, groups: &[sdk::SecurityGroup]) -> Vec<SgRule> {
    let protocol = match p.ip_protocol() {
        Some("-1") | None => "all".to_owned(),
        Some(proto) => proto.to_owned(),
    };
    let ports = match (p.from_port(), p.to_port()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(-1) | None, _) => "all".to_owned(),
        (Some(a), Some(b)) => format!("{a}-{b}"),
        (Some(a), None) => a.to_string(),
    };
    let mut peers: Vec<String> = p
        .ip_ranges()
        .iter()
        .filter_map(|r| owned(r.cidr_ip()))
        .collect();
    peers.extend(p.ipv6_ranges().iter().filter_map(|r| owned(r.cidr_ipv6())));
    peers.extend(p.user_id_group_pairs().iter().filter_map(|g| {
        let id = g.group_id()?;
        let name = groups
            .iter()
            .find(|sg| sg.group_id() == Some(id))
            .and_then(|sg| sg.group_name());
        Some(name.map_or_else(|| id.to_owned(), |n| format!("{id} ({n})")))
    }));
    peers.extend(
        p.prefix_list_ids()
            .iter()
            .filter_map(|p| owned(p.prefix_list_id())),
    );
    peers
        .into_iter()
        .map(|peer| SgRule {
            protocol: protocol.clone(),
            ports: ports.clone(),
            peer,
        })
        .collect()
}

fn vpc(v: &sdk::Vpc) -> Vpc {
    Vpc {
        id: v.vpc_id().unwrap_or_default().to_owned(),
        cidr: v.cidr_block().unwrap_or_default().to_owned(),
        name: name_tag(v.tags()),
        is_default: v.is_default().unwrap_or(false),
    }
}

fn subnet(s: &sdk::Subnet) -> Subnet {
    Subnet {
        id: s.subnet_id().unwrap_or_default().to_owned(),
        vpc_id: s.vpc_id().unwrap_or_default().to_owned(),
        az: s.availability_zone().unwrap_or_default().to_owned(),
        cidr: s.cidr_block().unwrap_or_default().to_owned(),
        name: name_tag(s.tags()),
        tier: SubnetTier::Isolated,
        route_table_id: None,
        default_route: None,
        available_ips: s.available_ip_address_count().unwrap_or(0),
    }
}

fn route_table(t: &sdk::RouteTable) -> RouteTable {
    RouteTable {
        id: t.route_table_id().unwrap_or_default().to_owned(),
        vpc_id: t.vpc_id().unwrap_or_default().to_owned(),
        main: t.associations().iter().any(|a| a.main() == Some(true)),
        subnet_ids: t
            .associations()
            .iter()
            .filter_map(|a| owned(a.subnet_id()))
            .collect(),
        default_route: default_route(t),
    }
}

fn nat_gateway(n: &sdk::NatGateway) -> NatGateway {
    NatGateway {
        id: n.nat_gateway_id().unwrap_or_default().to_owned(),
        vpc_id: n.vpc_id().unwrap_or_default().to_owned(),
        subnet_id: n.subnet_id().unwrap_or_default().to_owned(),
        state: n.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        public_ip: n
            .nat_gateway_addresses()
            .iter()
            .find_map(|a| owned(a.public_ip())),
    }
}

/// The whole network picture of the region, with subnets classified by their routes.
///
/// # Errors
/// The first failing call.
pub async fn network(ctx: &AwsContext) -> Result<Network, AwsError> {
    let ec2 = &ctx.ec2;
    let (vpcs, subnets, tables, igws, nats, sgs) = tokio::join!(
        async { paged!(ec2.describe_vpcs(), "EC2", "DescribeVpcs") },
        async { paged!(ec2.describe_subnets(), "EC2", "DescribeSubnets") },
        async { paged!(ec2.describe_route_tables(), "EC2", "DescribeRouteTables") },
        async {
            paged!(
                ec2.describe_internet_gateways(),
                "EC2",
                "DescribeInternetGateways"
            )
        },
        async { paged!(ec2.describe_nat_gateways(), "EC2", "DescribeNatGateways") },
        async {
            paged!(
                ec2.describe_security_groups(),
                "EC2",
                "DescribeSecurityGroups"
            )
        },
    );
    let sgs: Vec<sdk::SecurityGroup> = sgs?;
    let igws: Vec<sdk::InternetGateway> = igws?;
    let mut net = Network {
        vpcs: vpcs?.iter().map(vpc).collect(),
        subnets: subnets?.iter().map(subnet).collect(),
        route_tables: tables?.iter().map(route_table).collect(),
        internet_gateways: igws
            .iter()
            .map(|g| InternetGateway {
                id: g.internet_gateway_id().unwrap_or_default().to_owned(),
                vpc_ids: g
                    .attachments()
                    .iter()
                    .filter_map(|a| owned(a.vpc_id()))
                    .collect(),
            })
            .collect(),
        nat_gateways: nats?.iter().map(nat_gateway).collect(),
        security_groups: sgs
            .iter()
            .map(|g| SecurityGroup {
                id: g.group_id().unwrap_or_default().to_owned(),
                name: g.group_name().unwrap_or_default().to_owned(),
                vpc_id: g.vpc_id().unwrap_or_default().to_owned(),
                ingress: g
                    .ip_permissions()
                    .iter()
                    .flat_map(|p| rule(p, &sgs))
                    .collect(),
                egress: g
                    .ip_permissions_egress()
                    .iter()
                    .flat_map(|p| rule(p, &sgs))
                    .collect(),
            })
            .collect(),
    };
    net.classify_subnets();
    Ok(net)
}
