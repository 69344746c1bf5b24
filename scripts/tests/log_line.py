#!/usr/bin/env python3
"""Writes one log line into every running task's awslogs stream, as the container would.

    log_line.py ENDPOINT TEXT     exit 0 when at least one stream got the line

Used by the end-to-end and live benchmark scripts; `streams()` and `put()` are importable.
"""
import os
import sys
import time

import boto3


def clients(endpoint):
    """ECS and Logs clients of the endpoint (the emulator's test keys unless others are set)."""
    session = boto3.session.Session(
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN"),
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
    )
    return (session.client("ecs", endpoint_url=endpoint), session.client("logs", endpoint_url=endpoint))


def streams(endpoint):
    """(log group, stream) of each container of each running task, from its task definition."""
    ecs, logs = clients(endpoint)
    cluster = ecs.list_clusters()["clusterArns"][0]
    tasks = ecs.list_tasks(cluster=cluster, desiredStatus="RUNNING")["taskArns"]
    described = ecs.describe_tasks(cluster=cluster, tasks=tasks)["tasks"] if tasks else []
    out = []
    for task in described:
        definition = ecs.describe_task_definition(taskDefinition=task["taskDefinitionArn"])["taskDefinition"]
        for c in definition["containerDefinitions"]:
            opts = (c.get("logConfiguration") or {}).get("options") or {}
            if "awslogs-group" in opts and "awslogs-stream-prefix" in opts:
                stream = f'{opts["awslogs-stream-prefix"]}/{c["name"]}/{task["taskArn"].rsplit("/", 1)[1]}'
                try:
                    logs.create_log_stream(logGroupName=opts["awslogs-group"], logStreamName=stream)
                except logs.exceptions.ResourceAlreadyExistsException:
                    pass
                out.append((opts["awslogs-group"], stream))
    return out


def put(endpoint, targets, text):
    """PutLogEvents of one INFO line to each (group, stream); returns how many were written."""
    _, logs = clients(endpoint)
    for group, stream in targets:
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[{"timestamp": int(time.time() * 1000), "message": f"INFO {text}"}])
    return len(targets)


if __name__ == "__main__":
    endpoint, text = sys.argv[1], sys.argv[2]
    sys.exit(0 if put(endpoint, streams(endpoint), text) else 1)
