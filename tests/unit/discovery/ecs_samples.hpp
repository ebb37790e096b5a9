// Real-shaped ECS JSON for the ECS unit tests, after spec/alb-reference.md §10.3/§10.4.
#pragma once

#include <string>

namespace tern::discovery::samples {

// DescribeTasks task, Fargate, ENI attachment, container without a health check (UNKNOWN).
inline const std::string kFargateTask = R"({
  "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/1234567890123456789",
  "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/MyCluster",
  "taskDefinitionArn": "arn:aws:ecs:us-west-2:123456789012:task-definition/sample-fargate:2",
  "overrides": {"containerOverrides": [{"name": "fargate-app",
                 "environment": [{"name": "A", "value": "b"}]}]},
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING", "cpu": "256", "memory": "512",
  "containers": [{
    "containerArn": "arn:aws:ecs:us-west-2:123456789012:container/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE",
    "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/1234567890123456789",
    "name": "fargate-app", "lastStatus": "RUNNING", "networkBindings": [],
    "networkInterfaces": [{"attachmentId": "a1b2c3d4-5678-90ab-cdef-22222EXAMPLE",
                           "privateIpv4Address": "10.0.0.4"}],
    "healthStatus": "UNKNOWN", "cpu": "0"}],
  "startedBy": "ecs-svc/1234567890123456789", "version": 3, "connectivity": "CONNECTED",
  "connectivityAt": 1557134016.971, "createdAt": 1557134011.644, "startedAt": 1557134035.379,
  "group": "service:fargate-service", "launchType": "FARGATE", "platformVersion": "1.3.0",
  "attachments": [{"id": "a1b2c3d4-5678-90ab-cdef-33333EXAMPLE",
    "type": "ElasticNetworkInterface", "status": "ATTACHED",
    "details": [{"name": "subnetId", "value": "subnet-12344321"},
                {"name": "networkInterfaceId", "value": "eni-12344321"},
                {"name": "macAddress", "value": "0a:90:09:84:f9:14"},
                {"name": "privateIPv4Address", "value": "10.0.0.4"}]}],
  "healthStatus": "UNKNOWN", "tags": []})";

// EC2 launch type with awsvpc: the container's networkInterfaces only (no attachment
// detail for the address), a pause container listed first, a HEALTHY health check.
inline const std::string kEc2AwsvpcTask = R"({
  "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/ec2awsvpc",
  "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/MyCluster",
  "containerInstanceArn": "arn:aws:ecs:us-west-2:123456789012:container-instance/MyCluster/abc",
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 7,
  "group": "service:fargate-service", "launchType": "EC2",
  "containers": [
    {"name": "~internal~ecs~pause", "lastStatus": "RUNNING"},
    {"name": "fargate-app", "lastStatus": "RUNNING", "healthStatus": "HEALTHY",
     "networkBindings": [],
     "networkInterfaces": [{"attachmentId": "x", "privateIpv4Address": "10.0.2.61"}]}],
  "attachments": []})";

// EC2 bridge mode: host port bindings, no ENI at all.
inline const std::string kBridgeTask = R"({
  "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/bridge",
  "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/MyCluster",
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 2,
  "group": "service:fargate-service", "launchType": "EC2",
  "containers": [{"name": "fargate-app", "lastStatus": "RUNNING",
    "networkBindings": [{"bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 32768,
                         "protocol": "tcp"}]}]})";

// Fargate task whose container health check says `health`.
inline std::string task_with_health(const std::string& health, const std::string& id = "h") {
  return R"({"taskArn": "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/)" + id +
         R"(", "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/MyCluster",
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 5,
  "group": "service:fargate-service",
  "containers": [{"name": "fargate-app", "lastStatus": "RUNNING", "healthStatus": ")" +
         health + R"("}],
  "attachments": [{"type": "ElasticNetworkInterface", "status": "ATTACHED",
    "details": [{"name": "privateIPv4Address", "value": "10.0.1.9"}]}]})";
}

// A task being stopped: desired STOPPED, last STOPPING.
inline const std::string kStoppingTask = R"({
  "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/stopping",
  "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/MyCluster",
  "lastStatus": "STOPPING", "desiredStatus": "STOPPED", "version": 9,
  "group": "service:fargate-service", "stopCode": "ServiceSchedulerInitiated",
  "stoppedReason": "Scaling activity initiated by deployment", "stoppingAt": 1557134100.0,
  "containers": [{"name": "fargate-app", "lastStatus": "RUNNING", "exitCode": 0}],
  "attachments": [{"type": "ElasticNetworkInterface", "status": "ATTACHED",
    "details": [{"name": "privateIPv4Address", "value": "10.0.0.8"}]}]})";

// An EventBridge "ECS Task State Change" event (§10.3) with the given detail fields.
inline std::string event(const std::string& last_status, const std::string& desired_status,
                         int version, const std::string& cluster = "prod",
                         const std::string& group = "service:web",
                         const std::string& detail_type = "ECS Task State Change",
                         const std::string& task = "c13b4cb40f1f4fe4a2971f76ae5a47ad") {
  return R"({"version": "0", "id": "3317b2af-7005-947d-b652-f55e762e571a",
  "detail-type": ")" +
         detail_type + R"(", "source": "aws.ecs", "account": "111122223333",
  "time": "2025-03-01T17:57:58Z", "region": "us-west-2",
  "resources": ["arn:aws:ecs:us-west-2:111122223333:task/prod/)" +
         task + R"("],
  "detail": {
    "attachments": [{"id": "1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8", "type": "eni",
      "status": "ATTACHED", "details": [
        {"name": "subnetId", "value": "subnet-abcd1234"},
        {"name": "networkInterfaceId", "value": "eni-abcd1234"},
        {"name": "macAddress", "value": "0a:98:eb:a7:29:ba"},
        {"name": "privateDnsName", "value": "ip-10-0-0-139.us-west-2.compute.internal"},
        {"name": "privateIPv4Address", "value": "10.0.0.139"}]}],
    "availabilityZone": "us-west-2c",
    "clusterArn": "arn:aws:ecs:us-west-2:111122223333:cluster/)" +
         cluster + R"(",
    "containers": [{"lastStatus": "RUNNING", "name": "web",
      "image": "111122223333.dkr.ecr.us-west-2.amazonaws.com/web:1.4.2",
      "networkBindings": [],
      "networkInterfaces": [{"attachmentId": "1789bcae", "privateIpv4Address": "10.0.0.139"}],
      "healthStatus": "HEALTHY", "cpu": "0"}],
    "connectivity": "CONNECTED", "createdAt": "2025-03-01T17:57:34.402Z",
    "desiredStatus": ")" +
         desired_status + R"(", "lastStatus": ")" + last_status + R"(",
    "group": ")" +
         group +
         R"(", "startedBy": "ecs-svc/1234567890123456789", "healthStatus": "HEALTHY",
    "launchType": "FARGATE", "platformVersion": "1.4.0",
    "taskArn": "arn:aws:ecs:us-west-2:111122223333:task/prod/)" +
         task + R"(",
    "taskDefinitionArn": "arn:aws:ecs:us-west-2:111122223333:task-definition/web:42",
    "version": )" +
         std::to_string(version) + "}}";
}

}  // namespace tern::discovery::samples
