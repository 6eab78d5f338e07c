#include <catch2/catch.hpp>

#include "protocol/query/params.h"
#include "protocol/query/xml_reader.h"
#include "protocol/query/xml_writer.h"

using namespace edastack;

TEST_CASE("query flattening", "[query]") {
  auto p = query::Params::FromForm(
      "Action=SetQueueAttributes&Attribute.2.Name=B&Attribute.2.Value=2&Attribute.1.Name=A&"
      "Attribute.1.Value=1&AttributeName.1=All&AttributeName.10=X&AttributeName.2=Y&"
      "Tags.member.1.Key=k&Tags.member.1.Value=v&Attributes.entry.1.key=DisplayName&"
      "Attributes.entry.1.value=d");
  auto attrs = p.Map("Attribute", "Name", "Value");
  REQUIRE(attrs.size() == 2);
  CHECK(attrs[0] == std::make_pair(std::string("A"), std::string("1")));
  CHECK(p.List("AttributeName") == std::vector<std::string>{"All", "Y", "X"});
  auto tags = p.Sub("Tags.member").Map("", "Key", "Value");
  CHECK(p.Structs("Tags.member").size() == 1);
  CHECK(p.Sub("Attributes.entry").Structs("1").empty());
  auto entries = p.Map("Attributes.entry", "key", "value");
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].second == "d");
}

TEST_CASE("xml writer escapes and reader round-trips", "[query]") {
  xml::Writer w;
  w.Open("R", "xmlns=\"x\"").Element("Body", "a<b>&\"c\"\r\n").Open("L").Element("M", "1").Element("M", "2");
  std::string text = w.Finish();
  CHECK(text.find("&#xD;") != std::string::npos);
  auto doc = xml::Parse(text);
  REQUIRE(doc);
  CHECK(doc->ChildText("Body") == "a<b>&\"c\"\r\n");
  CHECK(doc->Child("L")->Children("M").size() == 2);
  CHECK_FALSE(xml::Parse("<a><b></a>").has_value());
  auto ns = xml::Parse("<?xml version=\"1.0\"?><s3:Delete xmlns:s3=\"u\"><Object><Key>k</Key></Object></s3:Delete>");
  REQUIRE(ns);
  CHECK(ns->name == "Delete");
  CHECK(ns->Find("Key")->text == "k");
}
