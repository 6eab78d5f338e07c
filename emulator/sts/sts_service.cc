#include "emulator/sts/sts_service.h"

#include "protocol/errors/render.h"
#include "protocol/query/params.h"
#include "protocol/query/xml_writer.h"

namespace edastack::sts {
namespace {
const char* kXmlns = "https://sts.amazonaws.com/doc/2011-06-15/";
}

CallerIdentity GetCallerIdentity(const RequestContext& ctx) {
  return {ctx.account, "arn:aws:iam::" + ctx.account + ":root", ctx.account};
}

http::Response StsService::Handle(const RequestContext& ctx, const http::Route& route,
                                  http::Request& req) {
  auto params = query::Params::FromForm(req.body);
  std::string action = params.Get("Action", req.Query("Action"));
  if (action != "GetCallerIdentity") {
    if (action.empty())
      return errors::RenderQuery(MakeError("MissingAction", "Missing Action"), kXmlns, ctx.request_id);
    return errors::RenderQuery(
        MakeError("InvalidAction", "Could not find operation " + action + " for version 2011-06-15"),
        kXmlns, ctx.request_id);
  }
  CallerIdentity id = GetCallerIdentity(ctx);
  xml::Writer w;
  w.Open("GetCallerIdentityResponse", std::string("xmlns=\"") + kXmlns + "\"")
      .Open("GetCallerIdentityResult")
      .Element("Arn", id.arn)
      .Element("UserId", id.user_id)
      .Element("Account", id.account)
      .Close()
      .Open("ResponseMetadata")
      .Element("RequestId", ctx.request_id)
      .Close();
  http::Response res;
  res.body = w.Finish();
  res.SetHeader("Content-Type", "text/xml");
  return res;
}

}  // namespace edastack::sts
