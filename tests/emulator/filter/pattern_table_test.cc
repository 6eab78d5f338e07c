// The shared matcher against a table of policy/message cases taken from AWS's documented
// examples (SNS "Filter policy" pages, EventBridge "Content filtering in event patterns"),
// each run under every dialect it applies to.
#include <catch2/catch.hpp>

#include "emulator/filter/pattern.h"

using edastack::filter::Dialect;
using edastack::filter::Pattern;
using nlohmann::json;

namespace {

enum Where : int {
  kAttr = 1,  // SNS FilterPolicyScope=MessageAttributes (flat documents only)
  kBody = 2,  // SNS FilterPolicyScope=MessageBody
  kEb = 4,    // EventBridge
  kFlat = kAttr | kBody | kEb,
  kNested = kBody | kEb,
};

struct Case {
  int where;
  const char* pattern;
  const char* doc;
  bool match;
};

// SNS docs: the message attributes of the "example_corp" order.
#define SNS_ORDER                                                                                       \
  R"({"store":"example_corp","event":"order_placed","customer_interests":["soccer","rugby","hockey"],)" \
  R"("price_usd":210.75,"source_ip":"10.0.0.123"})"
// EventBridge docs: an EC2 state-change event.
#define EC2_EVENT                                                                                                         \
  R"({"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"EC2 Instance State-change Notification",)" \
  R"("source":"aws.ec2","account":"111122223333","time":"2017-12-22T18:43:48Z","region":"us-west-1",)"                    \
  R"("resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],)"                                   \
  R"("detail":{"instance-id":"i-1234567890abcdef0","state":"terminated"}})"
// EventBridge docs: the numeric / IP example detail.
#define NUM_EVENT                                                                         \
  R"({"source":"com.mycompany.myapp","detail":{"c-count":5,"d-count":3,"x-limit":301.8,)" \
  R"("source-ip":"10.0.0.123","FileName":"image.png","FilePath":"dir/lib/img.png"}})"

const Case kCases[] = {
    // --- exact strings (SNS "exact value matching", EB "Matching values") ---
    {kFlat, R"({"store":["example_corp"]})", SNS_ORDER, true},
    {kFlat, R"({"store":["Example_Corp"]})", SNS_ORDER, false},  // case-sensitive
    {kFlat, R"({"store":["other","example_corp"]})", SNS_ORDER, true},
    {kFlat, R"({"store":["example"]})", SNS_ORDER, false},
    {kFlat, R"({"missing":["x"]})", SNS_ORDER, false},  // absent key never matches
    {kFlat, R"({"store":["example_corp"],"event":["order_placed"]})", SNS_ORDER, true},
    {kFlat, R"({"store":["example_corp"],"event":["order_cancelled"]})", SNS_ORDER, false},
    {kFlat, R"({"customer_interests":["rugby","football","baseball"]})", SNS_ORDER, true},
    {kFlat, R"({"customer_interests":["rugby","tennis"]})", SNS_ORDER, true},
    {kFlat, R"({"customer_interests":["tennis"]})", SNS_ORDER, false},
    {kFlat, R"({"customer_interests":["hockey"]})", SNS_ORDER, true},  // any array element
    {kFlat, R"({"v":[""]})", R"({"v":""})", true},
    {kFlat, R"({"v":[""]})", R"({"v":"a"})", false},
    // --- exact numbers / literals ---
    {kFlat, R"({"price_usd":[210.75]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[210.7]})", SNS_ORDER, false},
    {kFlat, R"({"n":[5]})", R"({"n":5.0})", true},
    {kFlat, R"({"n":[5]})", R"({"n":"5"})", false},  // a string is not a number
    {kFlat, R"({"n":["5"]})", R"({"n":5})", false},
    {kFlat, R"({"n":[3.018e2]})", R"({"n":301.8})", true},
    {kNested, R"({"b":[true]})", R"({"b":true})", true},
    {kNested, R"({"b":[true]})", R"({"b":"true"})", false},
    {kNested, R"({"b":[false]})", R"({"b":true})", false},
    {kNested, R"({"detail":{"responseElements":[null]}})",
     R"({"detail":{"responseElements":null}})", true},
    {kNested, R"({"detail":{"responseElements":[null]}})", R"({"detail":{"responseElements":"x"}})",
     false},
    {kNested, R"({"detail":{"responseElements":[null]}})", R"({"detail":{}})", false},
    {kNested, R"({"detail":{"eventVersion":[""]}})", R"({"detail":{"eventVersion":""}})", true},
    // --- EventBridge envelope fields ---
    {kEb, R"({"source":["aws.ec2"]})", EC2_EVENT, true},
    {kEb, R"({"source":["aws.s3"]})", EC2_EVENT, false},
    {kEb, R"({"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"]})",
     EC2_EVENT, true},
    {kEb, R"({"source":["aws.ec2"],"detail":{"state":["running","terminated"]}})", EC2_EVENT, true},
    {kEb, R"({"source":["aws.ec2"],"detail":{"state":["running"]}})", EC2_EVENT, false},
    {kEb, R"({"resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"]})",
     EC2_EVENT, true},
    {kEb, R"({"resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-other"]})", EC2_EVENT,
     false},
    {kEb, R"({"account":["111122223333"],"region":["us-west-1"]})", EC2_EVENT, true},
    {kEb, R"({"detail":{"instance-id":[{"prefix":"i-"}],"state":["terminated"]}})", EC2_EVENT,
     true},
    {kEb, R"({"detail":{"bucket":{"name":["bkt1"]}}})", EC2_EVENT, false},
    // --- prefix / suffix ---
    {kEb, R"({"time":[{"prefix":"2017-12-22"}]})", EC2_EVENT, true},
    {kEb, R"({"time":[{"prefix":"2017-10-02"}]})", EC2_EVENT, false},
    {kFlat, R"({"customer_interests":[{"prefix":"hoc"}]})", SNS_ORDER, true},
    {kFlat, R"({"customer_interests":[{"prefix":"bas"}]})", SNS_ORDER, false},
    {kFlat, R"({"event":[{"prefix":"order"}]})", SNS_ORDER, true},
    {kFlat, R"({"event":[{"prefix":"Order"}]})", SNS_ORDER, false},
    {kFlat, R"({"event":[{"prefix":""}]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[{"prefix":"2"}]})", SNS_ORDER, false},  // prefix is for strings
    {kFlat, R"({"customer_interests":[{"suffix":"by"}]})", SNS_ORDER, true},
    {kFlat, R"({"customer_interests":[{"suffix":"ey"}]})", SNS_ORDER, true},
    {kFlat, R"({"event":[{"suffix":"_placed"}]})", SNS_ORDER, true},
    {kFlat, R"({"event":[{"suffix":"_PLACED"}]})", SNS_ORDER, false},
    {kNested, R"({"detail":{"FileName":[{"suffix":".png"}]}})", NUM_EVENT, true},
    {kNested, R"({"detail":{"FileName":[{"suffix":".jpg"}]}})", NUM_EVENT, false},
    {kEb, R"({"detail":{"FileName":[{"suffix":{"equals-ignore-case":".PNG"}}]}})", NUM_EVENT, true},
    {kEb, R"({"detail":{"FileName":[{"suffix":{"equals-ignore-case":".GIF"}}]}})", NUM_EVENT,
     false},
    {kEb, R"({"detail":{"state":[{"prefix":{"equals-ignore-case":"TERM"}}]}})", EC2_EVENT, true},
    {kEb, R"({"detail":{"state":[{"prefix":{"equals-ignore-case":"RUN"}}]}})", EC2_EVENT, false},
    // --- equals-ignore-case ---
    {kEb, R"({"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]})",
     EC2_EVENT, true},
    {kEb, R"({"detail-type":[{"equals-ignore-case":"ec2 instance state change"}]})", EC2_EVENT,
     false},
    {kFlat, R"({"store":[{"equals-ignore-case":"EXAMPLE_CORP"}]})", SNS_ORDER, true},
    {kFlat, R"({"customer_interests":[{"equals-ignore-case":"RUGBY"}]})", SNS_ORDER, true},
    {kFlat, R"({"customer_interests":[{"equals-ignore-case":"tennis"}]})", SNS_ORDER, false},
    // --- anything-but ---
    {kFlat, R"({"event":[{"anything-but":"order_cancelled"}]})", SNS_ORDER, true},
    {kFlat, R"({"event":[{"anything-but":"order_placed"}]})", SNS_ORDER, false},
    {kFlat, R"({"event":[{"anything-but":["order_cancelled","order_returned"]}]})", SNS_ORDER,
     true},
    {kFlat, R"({"event":[{"anything-but":["order_placed","order_returned"]}]})", SNS_ORDER, false},
    {kFlat, R"({"missing":[{"anything-but":"x"}]})", SNS_ORDER, false},  // key must be present
    {kFlat, R"({"price_usd":[{"anything-but":100}]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[{"anything-but":[100,210.75]}]})", SNS_ORDER, false},
    {kFlat, R"({"event":[{"anything-but":{"prefix":"order-"}}]})", SNS_ORDER, true},
    {kFlat, R"({"event":[{"anything-but":{"prefix":"order_"}}]})", SNS_ORDER, false},
    {kFlat, R"({"event":[{"anything-but":{"suffix":"_placed"}}]})", SNS_ORDER, false},
    {kFlat, R"({"event":[{"anything-but":{"suffix":"_cancelled"}}]})", SNS_ORDER, true},
    {kEb, R"({"detail":{"state":[{"anything-but":"initializing"}]}})", EC2_EVENT, true},
    {kEb, R"({"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}})", EC2_EVENT, true},
    {kEb, R"({"detail":{"state":[{"anything-but":["stopped","terminated"]}]}})", EC2_EVENT, false},
    {kEb, R"({"detail":{"x-limit":[{"anything-but":123}]}})", NUM_EVENT, true},
    {kEb, R"({"detail":{"x-limit":[{"anything-but":[100,200,301.8]}]}})", NUM_EVENT, false},
    {kEb, R"({"detail":{"state":[{"anything-but":{"prefix":"init"}}]}})", EC2_EVENT, true},
    {kEb, R"({"detail":{"state":[{"anything-but":{"prefix":"term"}}]}})", EC2_EVENT, false},
    {kEb, R"({"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}})", NUM_EVENT, true},
    {kEb, R"({"detail":{"FileName":[{"anything-but":{"suffix":".png"}}]}})", NUM_EVENT, false},
    {kEb, R"({"detail":{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}})", NUM_EVENT, false},
    {kEb, R"({"detail":{"FilePath":[{"anything-but":{"wildcard":"*/bin/*"}}]}})", NUM_EVENT, true},
    {kEb,
     R"({"detail":{"state":[{"anything-but":{"equals-ignore-case":["Stopped","OverLoaded"]}}]}})",
     EC2_EVENT, true},
    {kEb, R"({"detail":{"state":[{"anything-but":{"equals-ignore-case":["TERMINATED"]}}]}})",
     EC2_EVENT, false},
    {kEb, R"({"detail":{"state":[{"anything-but":{"equals-ignore-case":"Terminated"}}]}})",
     EC2_EVENT, false},
    // --- numeric ---
    {kFlat, R"({"price_usd":[{"numeric":[">=",100]}]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[{"numeric":[">",0,"<=",150]}]})", SNS_ORDER, false},
    {kFlat, R"({"price_usd":[{"numeric":[">",200,"<",300]}]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[{"numeric":["=",210.75]}]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[{"numeric":["<",210.75]}]})", SNS_ORDER, false},
    {kFlat, R"({"price_usd":[{"numeric":["<=",210.75]}]})", SNS_ORDER, true},
    {kFlat, R"({"price_usd":[{"numeric":[">",210.75]}]})", SNS_ORDER, false},
    {kFlat, R"({"n":[{"numeric":[">",0]}]})", R"({"n":"5"})", false},  // String "5" is not numeric
    {kFlat, R"({"n":[{"numeric":[">=",0,"<",10]}]})", R"({"n":[20,5]})", true},
    {kNested,
     R"({"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",3.018e2]}]}})",
     NUM_EVENT, true},
    {kNested, R"({"detail":{"c-count":[{"numeric":[">",5]}]}})", NUM_EVENT, false},
    {kNested, R"({"detail":{"d-count":[{"numeric":[">=",3,"<",4]}]}})", NUM_EVENT, true},
    // --- exists ---
    {kFlat, R"({"store":[{"exists":true}]})", SNS_ORDER, true},
    {kFlat, R"({"store":[{"exists":false}]})", SNS_ORDER, false},
    {kFlat, R"({"encrypted":[{"exists":false}]})", SNS_ORDER, true},
    {kFlat, R"({"encrypted":[{"exists":true}]})", SNS_ORDER, false},
    {kFlat, R"({"store":["example_corp"],"encrypted":[{"exists":false}]})", SNS_ORDER, true},
    {kFlat, R"({"e":[{"exists":false}]})", R"({"e":[]})", true},  // empty array = no value
    {kEb, R"({"detail":{"state":[{"exists":true}]}})", EC2_EVENT, true},
    {kEb, R"({"detail":{"state":[{"exists":false}]}})", EC2_EVENT, false},
    {kEb, R"({"detail":{"c-count":[{"exists":false}]}})", EC2_EVENT, true},
    {kNested, R"({"detail":{"x":[{"exists":false}]}})", R"({"source":"s"})",
     true},                                                                        // parent absent
    {kNested, R"({"detail":[{"exists":true}]})", R"({"detail":{"a":1}})", false},  // leaves only
    // --- cidr ---
    {kFlat, R"({"source_ip":[{"cidr":"10.0.0.0/24"}]})", SNS_ORDER, true},
    {kFlat, R"({"source_ip":[{"cidr":"10.0.1.0/24"}]})", SNS_ORDER, false},
    {kFlat, R"({"source_ip":[{"cidr":"10.0.0.0/8"}]})", SNS_ORDER, true},
    {kFlat, R"({"source_ip":[{"cidr":"10.0.0.123/32"}]})", SNS_ORDER, true},
    {kFlat, R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"2001:0db8:1234:1a00::1"})", true},
    {kFlat, R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"2001:0db9::1"})", false},
    {kFlat, R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"10.0.0.1"})", false},
    {kFlat, R"({"ip":[{"cidr":"10.0.0.0/24"}]})", R"({"ip":"not an ip"})", false},
    {kNested, R"({"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}})", NUM_EVENT, true},
    // --- wildcard (EventBridge) ---
    {kEb, R"({"detail":{"FilePath":[{"wildcard":"*/lib/*.png"}]}})", NUM_EVENT, true},
    {kEb, R"({"detail":{"FilePath":[{"wildcard":"*/lib/*.jpg"}]}})", NUM_EVENT, false},
    {kEb, R"({"detail":{"FilePath":[{"wildcard":"dir/*"}]}})", NUM_EVENT, true},
    {kEb, R"({"detail":{"FilePath":[{"wildcard":"dir/lib/img.png"}]}})", NUM_EVENT, true},
    {kEb, R"({"detail":{"FilePath":[{"wildcard":"*img*"}]}})", NUM_EVENT, true},
    {kEb, R"({"a":[{"wildcard":"a\\*b"}]})", R"({"a":"a*b"})", true},
    {kEb, R"({"a":[{"wildcard":"a\\*b"}]})", R"({"a":"axb"})", false},
    {kEb, R"({"a":[{"wildcard":"a*a"}]})", R"({"a":"a"})", false},
    {kEb, R"({"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]})",
     R"({"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/myBus"})", true},
    // --- $or ---
    {kFlat,
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})",
     R"({"source":"aws.cloudwatch","namespace":"AWS/EC2"})", true},
    {kFlat,
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})",
     R"({"source":"aws.cloudwatch","namespace":"AWS/S3"})", false},
    {kFlat,
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})",
     R"({"source":"aws.ec2","metricName":"CPUUtilization"})", false},
    {kNested,
     R"({"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}})",
     NUM_EVENT, true},
    {kNested,
     R"({"detail":{"$or":[{"c-count":[{"numeric":[">",10]}]},{"d-count":[{"numeric":[">",10]}]}]}})",
     NUM_EVENT, false},
    {kNested, R"({"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]})", R"({"c":"3"})", true},
    {kNested, R"({"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]})", R"({"c":"4"})", false},
    // --- nested objects and arrays of objects ---
    {kNested, R"({"a":{"b":{"c":["x"]}}})", R"({"a":{"b":{"c":"x"}}})", true},
    {kNested, R"({"a":{"b":{"c":["x"]}}})", R"({"a":{"b":{"c":"y"}}})", false},
    {kNested, R"({"a":{"b":{"c":["x"]}}})", R"({"a":"b"})", false},
    {kNested, R"({"items":{"sku":["B"]}})", R"({"items":[{"sku":"A"},{"sku":"B"}]})", true},
    {kNested, R"({"items":{"sku":["C"]}})", R"({"items":[{"sku":"A"},{"sku":"B"}]})", false},
    {kNested, R"({"items":{"sku":["A"],"qty":[2]}})",
     R"({"items":[{"sku":"A","qty":1},{"sku":"B","qty":2}]})", false},
    {kNested, R"({"items":{"sku":["B"],"qty":[2]}})",
     R"({"items":[{"sku":"A","qty":1},{"sku":"B","qty":2}]})", true},
    // --- SNS attributes: Binary never matches ---
    {kAttr, R"({"bin":["x"]})", R"({"bin":{"$binary":true}})", false},
    {kAttr, R"({"bin":[{"prefix":""}]})", R"({"bin":{"$binary":true}})", false},
    {kAttr, R"({"bin":[{"anything-but":"x"}]})", R"({"bin":{"$binary":true}})", false},
};

Dialect DialectOf(int bit) {
  switch (bit) {
    case kAttr:
      return Dialect::kSnsAttributes;
    case kBody:
      return Dialect::kSnsBody;
    default:
      return Dialect::kEventBridge;
  }
}

const char* NameOf(int bit) {
  switch (bit) {
    case kAttr:
      return "sns-attributes";
    case kBody:
      return "sns-body";
    default:
      return "eventbridge";
  }
}

}  // namespace

TEST_CASE("filter table: documented policy/message cases", "[filter]") {
  int runs = 0;
  REQUIRE(sizeof(kCases) / sizeof(kCases[0]) >= 100);
  for (const auto& c : kCases) {
    for (int bit : {kAttr, kBody, kEb}) {
      if (!(c.where & bit)) continue;
      INFO(NameOf(bit) << " pattern " << c.pattern << " doc " << c.doc);
      auto p = Pattern::Parse(c.pattern, DialectOf(bit));
      REQUIRE(p.ok());
      CHECK(p->Matches(json::parse(c.doc)) == c.match);
      ++runs;
    }
  }
  CHECK(runs > 200);
}
