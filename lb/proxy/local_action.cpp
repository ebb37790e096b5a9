#include "lb/proxy/local_action.hpp"

#include "lb/http/response_encoder.hpp"

namespace tern::proxy {

namespace {

using core::FinishReason;

// The text body of a status tern answers itself ("500 Internal Server Error\n"), like
// http::encode_local_reply's.
void status_body(int status, std::string& out) {
  out.clear();
  http::append_decimal(out, static_cast<unsigned>(status), 3);
  out.push_back(' ');
  out.append(http::reason_phrase(status));
  out.push_back('\n');
}

// ALB-like redirect body: a short HTML page naming the status.
void redirect_body(int status, std::string& out) {
  const auto title = [&] {
    http::append_decimal(out, static_cast<unsigned>(status), 3);
    out.push_back(' ');
    out.append(http::reason_phrase(status));
  };
  out.assign("<html><head><title>");
  title();
  out.append("</title></head><body><h1>");
  title();
  out.append("</h1></body></html>\n");
}

}  // namespace

FinishReason encode_action_reply(FinishReason reason, const router::Route& route,
                                 const router::Request& request, std::string_view date,
                                 const LocalFraming& framing, LocalScratch& scratch,
                                 std::string& out) {
  http::LocalResponse r;
  r.close = framing.close;
  r.client_http10 = framing.client_http10;
  r.head = framing.head;
  switch (reason) {
    case FinishReason::kRedirect:
      if (!router::build_redirect(route.action.redirect, request, scratch.location)) {
        http::encode_local_reply(400, date, true, out);
        return FinishReason::kBadRequest;
      }
      r.status = route.action.redirect.status_code;
      scratch.fields.assign("Location: ");
      scratch.fields.append(scratch.location);
      scratch.fields.append("\r\n");
      r.extra_fields = scratch.fields;
      redirect_body(r.status, scratch.body);
      r.content_type = "text/html";
      r.body = scratch.body;
      http::encode_local_response(r, date, out);
      return reason;
    case FinishReason::kFixedResponse: {
      const router::FixedResponse& fixed = route.action.fixed_response;
      r.status = fixed.status;
      r.content_type = fixed.content_type;
      r.body = fixed.body;
      http::encode_local_response(r, date, out);
      return reason;
    }
    default:
      r.status = core::status_for(reason);
      status_body(r.status, scratch.body);
      r.content_type = "text/plain";
      r.body = scratch.body;
      http::encode_local_response(r, date, out);
      return reason;
  }
}

}  // namespace tern::proxy
