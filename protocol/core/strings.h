// Small string helpers shared by every codec. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace edastack::str {

std::string ToLower(std::string_view s);
std::string Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
bool IEquals(std::string_view a, std::string_view b);

// RFC 3986 percent-encoding; unreserved A-Za-z0-9-._~ kept. keep_slash keeps '/'.
std::string UriEncode(std::string_view s, bool keep_slash = false);
// Percent-decoding; plus_is_space for form bodies.
std::string UriDecode(std::string_view s, bool plus_is_space = false);

// Parses "a=1&b=2" (form body or query string) into ordered decoded pairs.
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view s,
                                                           bool plus_is_space = true);

// Is this valid UTF-8?
bool IsValidUtf8(std::string_view s);

}  // namespace edastack::str
