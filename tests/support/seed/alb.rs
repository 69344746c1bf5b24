//! The seed stack's load balancer: ALB in the public subnets, target group on /health, listener.

use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, TargetTypeEnum};
use navoy_console::aws::AwsContext;

pub async fn load_balancer(ctx: &AwsContext, vpc: &str, public: &[String; 2], sg: &str) -> String {
    let lb = ctx
        .elb
        .create_load_balancer()
        .name("navoy-alb")
        .set_subnets(Some(public.to_vec()))
        .security_groups(sg)
        .send()
        .await
        .unwrap();
    let lb_arn = lb.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_owned();
    let tg = ctx
        .elb
        .create_target_group()
        .name("navoy-app")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(3000)
        .vpc_id(vpc)
        .target_type(TargetTypeEnum::Ip)
        .health_check_path("/health")
        .health_check_interval_seconds(10)
        .healthy_threshold_count(2)
        .unhealthy_threshold_count(3)
        .send()
        .await
        .unwrap();
    let tg_arn = tg.target_groups()[0].target_group_arn().unwrap().to_owned();
    ctx.elb
        .create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .default_actions(
            Action::builder()
                .r#type(ActionTypeEnum::Forward)
                .target_group_arn(&tg_arn)
                .build(),
        )
        .send()
        .await
        .unwrap();
    tg_arn
}
