// Register/deregister bodies: both shapes, the group's default port, merging, and every
// rejection with its status and message (one line, naming the entry, key or value). Whole
// or nothing: a rejected body yields no target. Hostile bodies (a depth bomb, 2 MiB, many
// small values) are refused without crashing or unbounded memory.
#include "lb/admin/target_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace tern::admin {
namespace {

namespace ip = boost::asio::ip;

TargetAddress t(std::string_view ip_text, uint16_t port) {
  return TargetAddress{ip::make_address(std::string(ip_text)), port};
}

ParsedTargets parse(std::string_view body, std::optional<uint16_t> group_port = std::nullopt) {
  return parse_target_list(body, "app", group_port);
}

// The rejection of `body`, checked for the whole-or-nothing promise on the way.
ParsedTargets rejected(std::string_view body, std::optional<uint16_t> group_port = std::nullopt) {
  ParsedTargets r = parse(body, group_port);
  EXPECT_NE(r.status, 0) << body.substr(0, 200);
  EXPECT_TRUE(r.targets.empty());
  EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;  // one line
  EXPECT_FALSE(r.error.empty());
  return r;
}

void expect_rejected(std::string_view body, int status, std::string_view error,
                     std::optional<uint16_t> group_port = std::nullopt) {
  ParsedTargets r = rejected(body, group_port);
  EXPECT_EQ(r.status, status) << body.substr(0, 200);
  EXPECT_EQ(r.error, error) << body.substr(0, 200);
}

std::string entries(size_t n, std::string_view key_id = "id", std::string_view key_port = "port") {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ",";
    s += "{\"" + std::string(key_id) + "\":\"10." + std::to_string(i / 65536) + "." +
         std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + "\",\"" +
         std::string(key_port) + "\":8000}";
  }
  return s;
}

// ---- accepted ---------------------------------------------------------------------------

TEST(TargetList, TernShape) {
  ParsedTargets r = parse(R"({"targets":[{"id":"10.0.1.5","port":8000}]})");
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.targets.size(), 1u);
  EXPECT_EQ(r.targets[0], t("10.0.1.5", 8000));
  EXPECT_TRUE(r.targets[0].ip.is_v4());
}

TEST(TargetList, AwsShapeAsRegisterTargetsCliInputJson) {
  ParsedTargets r = parse(R"({
    "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/73e2d6bc24d8a067",
    "Targets": [
      {"Id": "10.0.1.5", "Port": 8000, "AvailabilityZone": "us-east-1a"},
      {"Id": "10.0.1.6", "Port": 8001, "AvailabilityZone": "all"}
    ]
  })");
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets, (std::vector<TargetAddress>{t("10.0.1.5", 8000), t("10.0.1.6", 8001)}));
}

TEST(TargetList, AwsShapeWithoutArnAndOtherPartitions) {
  EXPECT_EQ(parse(R"({"Targets":[{"Id":"10.0.1.5","Port":80}]})").status, 0);
  EXPECT_EQ(parse(R"({"Targets":[{"Id":"10.0.1.5","Port":80}],"TargetGroupArn":)"
                  R"("arn:aws-cn:elasticloadbalancing:cn-north-1:1:targetgroup/app/1"})")
                .status,
            0);
}

TEST(TargetList, AvailabilityZoneIsIgnoredWhateverItHolds) {
  EXPECT_EQ(parse(R"({"Targets":[{"Id":"10.0.1.5","Port":80,"AvailabilityZone":null}]})").status,
            0);
}

TEST(TargetList, Ipv6AndIpv4MappedAsWritten) {
  ParsedTargets r =
      parse(R"({"targets":[{"id":"2001:db8::1","port":443},{"id":"::ffff:10.0.0.1","port":80},)"
            R"({"id":"FE80::1","port":80}]})");
  ASSERT_EQ(r.status, 0) << r.error;
  ASSERT_EQ(r.targets.size(), 3u);
  EXPECT_EQ(r.targets[0], t("2001:db8::1", 443));
  EXPECT_TRUE(r.targets[1].ip.is_v6());  // not folded into 10.0.0.1
  EXPECT_EQ(r.targets[1].ip.to_string(), "::ffff:10.0.0.1");
  EXPECT_EQ(r.targets[2], t("fe80::1", 80));
}

TEST(TargetList, PortDefaultsToTheGroupPort) {
  ParsedTargets r = parse(R"({"targets":[{"id":"10.0.1.5"},{"id":"10.0.1.6","port":9000}]})", 8080);
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets, (std::vector<TargetAddress>{t("10.0.1.5", 8080), t("10.0.1.6", 9000)}));
  r = parse(R"({"Targets":[{"Id":"10.0.1.7"}]})", 81);
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets, std::vector<TargetAddress>{t("10.0.1.7", 81)});
}

TEST(TargetList, DuplicatesAreMergedInFirstOccurrenceOrder) {
  ParsedTargets r =
      parse(R"({"targets":[{"id":"10.0.1.6","port":80},{"id":"10.0.1.5","port":80},)"
            R"({"id":"10.0.1.6","port":80},{"id":"10.0.1.6","port":81},{"id":"10.0.1.5"}]})",
            80);
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets,
            (std::vector<TargetAddress>{t("10.0.1.6", 80), t("10.0.1.5", 80), t("10.0.1.6", 81)}));
  // Written differently, the same address is the same target.
  r = parse(R"({"targets":[{"id":"2001:db8::1","port":80},{"id":"2001:DB8:0::1","port":80}]})");
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets.size(), 1u);
}

TEST(TargetList, PortBoundsAndIntegerForms) {
  EXPECT_EQ(parse(R"({"targets":[{"id":"10.0.1.5","port":1}]})").targets[0].port, 1);
  EXPECT_EQ(parse(R"({"targets":[{"id":"10.0.1.5","port":65535}]})").targets[0].port, 65535);
  EXPECT_EQ(parse(R"({"targets":[{"id":"10.0.1.5","port":-0}]})").status, 400);
}

TEST(TargetList, ExactlyAThousandTargets) {
  ParsedTargets r = parse("{\"targets\":[" + entries(1000) + "]}");
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets.size(), 1000u);
  EXPECT_EQ(r.targets[999], t("10.0.3.231", 8000));
}

TEST(TargetList, OneMebibyteIsStillAccepted) {
  std::string body = R"({"targets":[{"id":"10.0.1.5","port":8000}]})";
  body.append(kMaxTargetListBody - body.size(), ' ');
  ASSERT_EQ(body.size(), kMaxTargetListBody);
  EXPECT_EQ(parse(body).status, 0);
}

TEST(TargetList, WhitespaceAndKeyOrderDoNotMatter) {
  ParsedTargets r =
      parse("\r\n { \"targets\" : [ { \"port\" : 8000 , \"id\" : \"10.0.1.5\" } ] }\n");
  ASSERT_EQ(r.status, 0) << r.error;
  EXPECT_EQ(r.targets, std::vector<TargetAddress>{t("10.0.1.5", 8000)});
}

// ---- rejected: the body as a whole -------------------------------------------------------

TEST(TargetList, BodyOverOneMebibyteIs413) {
  std::string body = R"({"targets":[{"id":"10.0.1.5","port":8000}]})";
  body.append(kMaxTargetListBody + 1 - body.size(), ' ');
  expect_rejected(body, 413, "request body larger than 1048576 bytes");
  std::string two_mib = "{\"targets\":[" + std::string(2 * 1024 * 1024, '[');
  expect_rejected(two_mib, 413, "request body larger than 1048576 bytes");
}

TEST(TargetList, EmptyBody) {
  const std::string_view msg =
      R"(body is empty; expected {"targets":[{"id":"10.0.1.5","port":8000}]})";
  expect_rejected("", 400, msg);
  expect_rejected(" \r\n\t", 400, msg);
}

TEST(TargetList, NotJson) {
  expect_rejected("nope", 400, "body is not JSON: syntax error (at byte 0)");
  expect_rejected("targets=10.0.1.5", 400, "body is not JSON: syntax error (at byte 0)");
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000}])", 400,
                  "body is not JSON: incomplete JSON (at byte 42)");
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000},]})", 400,
                  "body is not JSON: syntax error (at byte 42)");
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000}]} {})", 400,
                  "body is not JSON: extra data (at byte 44)");
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000}]} // x)", 400,
                  "body is not JSON: extra data (at byte 44)");
  expect_rejected("{\"targets\":[{\"id\":\"10.0.1.5\xff\",\"port\":8000}]}", 400,
                  "body is not JSON: syntax error (at byte 27)");  // invalid UTF-8
  expect_rejected(std::string("{\"targets\":\0[]}", 15), 400,
                  "body is not JSON: syntax error (at byte 11)");
}

TEST(TargetList, TopLevelMustBeAnObject) {
  const std::string prefix = R"(body must be a JSON object like {"targets":[...]}, not )";
  expect_rejected(R"([{"id":"10.0.1.5","port":8000}])", 400, prefix + "an array");
  expect_rejected(R"("10.0.1.5")", 400, prefix + R"(the string "10.0.1.5")");
  expect_rejected("null", 400, prefix + "null");
  expect_rejected("8000", 400, prefix + "8000");
}

TEST(TargetList, DepthBombIsRefusedWithoutRecursion) {
  std::string arrays(10000, '[');
  arrays += std::string(10000, ']');
  expect_rejected(arrays, 400, "body nests JSON deeper than 8 levels");
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(10000, '}');
  expect_rejected(objects, 400, "body nests JSON deeper than 8 levels");
  // Deep inside an otherwise good body.
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":[[[[[[1]]]]]]}]})", 400,
                  "body nests JSON deeper than 8 levels");
}

TEST(TargetList, TooManyValuesToHoldIs413) {
  // Under 1 MiB of text, but tens of megabytes as a document: the arena runs out.
  std::string zeros = "{\"targets\":[";
  while (zeros.size() < kMaxTargetListBody - 10) zeros += "0,";
  zeros += "0]}";
  expect_rejected(zeros, 413,
                  "request body holds too many JSON values (more than 8 MiB once parsed)");
  std::string objects = "{\"targets\":[";
  while (objects.size() < kMaxTargetListBody - 10) objects += "{},";
  objects += "{}]}";
  expect_rejected(objects, 413,
                  "request body holds too many JSON values (more than 8 MiB once parsed)");
}

TEST(TargetList, MissingList) {
  expect_rejected("{}", 400,
                  R"(body has no "targets"; expected {"targets":[{"id":"10.0.1.5","port":8000}]})");
  expect_rejected(
      R"({"TargetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/app/1"})", 400,
      R"(body has no "Targets"; expected {"Targets":[{"Id":"10.0.1.5","Port":8000}]})");
}

TEST(TargetList, ListMustBeANonEmptyArrayOfAtMostAThousand) {
  expect_rejected(R"({"targets":{"id":"10.0.1.5","port":8000}})", 400,
                  R"("targets" must be an array, not an object)");
  expect_rejected(R"({"targets":"10.0.1.5:8000"})", 400,
                  R"("targets" must be an array, not the string "10.0.1.5:8000")");
  expect_rejected(R"({"targets":null})", 400, R"("targets" must be an array, not null)");
  expect_rejected(R"({"targets":[]})", 400, R"("targets" is empty; give at least one target)");
  expect_rejected(R"({"Targets":[]})", 400, R"("Targets" is empty; give at least one target)");
  expect_rejected("{\"targets\":[" + entries(1001) + "]}", 400,
                  R"("targets" has 1001 entries; at most 1000 per call)");
  expect_rejected("{\"targets\":[" + entries(5000) + "]}", 400,
                  R"("targets" has 5000 entries; at most 1000 per call)");
}

// ---- rejected: keys and shapes ----------------------------------------------------------

TEST(TargetList, UnknownTopLevelKey) {
  const std::string tail =
      R"( at the top level; expected "targets" (or AWS's "Targets" and "TargetGroupArn"))";
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000}],"dryRun":true})", 400,
                  R"(unknown key "dryRun")" + tail);
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.5"}],"TargetGroupName":"app"})", 400,
                  R"(unknown key "TargetGroupName")" + tail);
  expect_rejected(R"({"TARGETS":[{"id":"10.0.1.5","port":8000}]})", 400,
                  R"(unknown key "TARGETS")" + tail);
  expect_rejected(R"({"a\"b\n":1})", 400, R"(unknown key "a\"b\n")" + tail);
}

TEST(TargetList, UnknownEntryKey) {
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000},{"id":"10.0.1.6","weight":2}]})",
                  400, R"(unknown key "weight" in targets[1]; expected "id" and "port")");
  expect_rejected(
      R"({"Targets":[{"Id":"10.0.1.5","Port":8000,"Zone":"a"}]})", 400,
      R"(unknown key "Zone" in Targets[0]; expected "Id", "Port" and "AvailabilityZone")");
}

TEST(TargetList, ShapesDoNotMix) {
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000}],"Targets":[]})", 400,
                  R"(body mixes "targets" with AWS's "Targets"/"TargetGroupArn"; use one shape)");
  expect_rejected(
      R"({"targets":[{"id":"10.0.1.5","port":8000}],)"
      R"("TargetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/app/1"})",
      400, R"(body mixes "targets" with AWS's "Targets"/"TargetGroupArn"; use one shape)");
  expect_rejected(R"({"targets":[{"Id":"10.0.1.5","Port":8000}]})", 400,
                  R"(targets[0] has "Id" of AWS's shape; with "targets" write "id" and "port")");
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","AvailabilityZone":"a"}]})", 400,
                  R"(targets[0] has "AvailabilityZone" of AWS's shape; with "targets" write "id")"
                  R"( and "port")");
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.5","Port":1},{"Id":"10.0.1.6","port":8000}]})", 400,
                  R"(Targets[1] has "port" of tern's shape; with "Targets" write "Id", "Port" and )"
                  R"("AvailabilityZone")");
}

TEST(TargetList, ArnMustNameThisGroup) {
  expect_rejected(
      R"({"Targets":[{"Id":"10.0.1.5","Port":80}],"TargetGroupArn":)"
      R"("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/73e2d6bc24d8a067"})",
      400, R"(TargetGroupArn names target group "other", not "app")");
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.5","Port":80}],"TargetGroupArn":)"
                  R"("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/app-2/1"})",
                  400, R"(TargetGroupArn names target group "app-2", not "app")");
  const std::string tail =
      " is not a target group ARN "
      "(arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)";
  for (std::string_view arn :
       {"app", "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1",
        "arn:aws:ecs:us-east-1:1:targetgroup/app/1",
        "arn:aws:elasticloadbalancing:r:1:targetgroup/app",
        "arn:aws:elasticloadbalancing:r:1:targetgroup/app/",
        "arn:aws:elasticloadbalancing:r:1:targetgroup//1",
        "arn:aws:elasticloadbalancing:r:1:targetgroup/app/1/2",
        "arn::elasticloadbalancing:r:1:targetgroup/app/1"}) {
    expect_rejected(
        R"({"Targets":[{"Id":"10.0.1.5","Port":80}],"TargetGroupArn":")" + std::string(arn) + "\"}",
        400, "TargetGroupArn \"" + std::string(arn) + "\"" + tail);
  }
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.5","Port":80}],"TargetGroupArn":7})", 400,
                  "TargetGroupArn must be a string, not 7");
}

// ---- rejected: entries ------------------------------------------------------------------

TEST(TargetList, EntryMustBeAnObject) {
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":8000},"10.0.1.6:8000"]})", 400,
                  R"(targets[1] must be an object like {"id":"10.0.1.5","port":8000}, not the )"
                  R"(string "10.0.1.6:8000")");
  expect_rejected(
      R"({"Targets":[[]]})", 400,
      R"(Targets[0] must be an object like {"Id":"10.0.1.5","Port":8000}, not an array)");
}

TEST(TargetList, IdMustBeAnIpLiteral) {
  const std::string tail =
      " is not an IPv4 or IPv6 address (host names and zone ids are not accepted)";
  for (std::string_view id :
       {"web-1", "localhost", "10.0.1", "10.0.1.256", "010.0.1.5", "1.2.3.4.5", "fe80::1%eth0",
        "fe80::1%0", " 10.0.1.5", "10.0.1.5 ", "1::2::3", "10.0.1.5:8000", "[::1]", ""}) {
    expect_rejected(R"({"targets":[{"id":")" + std::string(id) + R"(","port":80}]})", 400,
                    "targets[0].id \"" + std::string(id) + "\"" + tail);
  }
  // A NUL would end the text for inet_pton: "10.0.1.5\u0000x" must not read as 10.0.1.5.
  expect_rejected(R"({"targets":[{"id":"10.0.1.5\u0000x","port":80}]})", 400,
                  R"(targets[0].id "10.0.1.5\u0000x")" + tail);
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":80},{"id":"a.b","port":80}]})", 400,
                  R"(targets[1].id "a.b")" + tail);
  expect_rejected(R"({"targets":[{"id":"x)" + std::string(100, 'y') + R"(","port":80}]})", 400,
                  "targets[0].id \"x" + std::string(63, 'y') + "\"..." + tail);
}

TEST(TargetList, IdMustBeAString) {
  expect_rejected(R"({"targets":[{"id":167772421,"port":80}]})", 400,
                  "targets[0].id must be a string holding an IP address, not 167772421");
  expect_rejected(R"({"Targets":[{"Id":null}]})", 400,
                  "Targets[0].Id must be a string holding an IP address, not null", 80);
  expect_rejected(R"({"targets":[{"id":["10.0.1.5"]}]})", 400,
                  "targets[0].id must be a string holding an IP address, not an array", 80);
}

TEST(TargetList, IdIsRequired) {
  expect_rejected(R"({"targets":[{"port":80}]})", 400, R"(targets[0] has no "id")");
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.5"},{}]})", 400, R"(Targets[1] has no "Id")", 80);
}

TEST(TargetList, PortMustBeAnIntegerInRange) {
  auto body = [](std::string_view port) {
    return R"({"targets":[{"id":"10.0.1.5","port":)" + std::string(port) + "}]}";
  };
  const std::string kind = "targets[0].port must be an integer in 1..65535, not ";
  expect_rejected(body(R"("8000")"), 400, kind + R"(the string "8000")");
  expect_rejected(body("1.5"), 400, kind + "a number with a fraction or an exponent (1.5E0)");
  expect_rejected(body("8000.0"), 400, kind + "a number with a fraction or an exponent (8E3)");
  expect_rejected(body("8e3"), 400, kind + "a number with a fraction or an exponent (8E3)");
  expect_rejected(body("true"), 400, kind + "true");
  expect_rejected(body("null"), 400, kind + "null");
  expect_rejected(body("{}"), 400, kind + "an object");
  expect_rejected(body("99999999999999999999"), 400,
                  kind + "a number with a fraction or an exponent (1E20)");
  const std::string range = " is not in 1..65535";
  expect_rejected(body("0"), 400, "targets[0].port 0" + range);
  expect_rejected(body("-1"), 400, "targets[0].port -1" + range);
  expect_rejected(body("65536"), 400, "targets[0].port 65536" + range);
  expect_rejected(body("18446744073709551615"), 400,
                  "targets[0].port 18446744073709551615" + range);
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.5","Port":70000}]})", 400,
                  "Targets[0].Port 70000" + range);
}

TEST(TargetList, PortRequiredWithoutAGroupPort) {
  expect_rejected(R"({"targets":[{"id":"10.0.1.5","port":80},{"id":"10.0.1.6"}]})", 400,
                  R"(targets[1] has no "port" and target group "app" has no port: port required)");
  expect_rejected(R"({"Targets":[{"Id":"10.0.1.6"}]})", 400,
                  R"(Targets[0] has no "Port" and target group "app" has no port: port required)");
}

TEST(TargetList, OneBadEntryRejectsTheWholeList) {
  std::string body = "{\"targets\":[" + entries(999) + R"(,{"id":"10.0.1.5","port":0}]})";
  expect_rejected(body, 400, "targets[999].port 0 is not in 1..65535");
}

}  // namespace
}  // namespace tern::admin
