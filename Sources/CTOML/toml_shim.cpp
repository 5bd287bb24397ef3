// A thin C face on toml++ (Debian's libtomlplusplus-dev, used header-only so
// the static build needs no archive): the parsed document is flattened into
// one byte stream that Swift reads back (SSOTCore/TOMLDocument.swift), so no
// C++ type crosses the boundary and no Foundation is needed to read a config.
//
// Stream: one node is a tag byte, then
//   'T' table:  u32 count, then per entry u32 key length, key bytes, node
//   'A' array:  u32 count, then the nodes
//   'S' string: u32 length, bytes
//   'I' integer: 8 bytes, little-endian two's complement
//   'F' float:   8 bytes, the IEEE 754 bits, little-endian
//   'B' boolean: one byte, 0 or 1
//   'D' a date, a time or a date-time: nothing (ssot's config has none)
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "toml_shim.h"

namespace {

struct Writer {
    std::string out;

    void tag(char c) { out.push_back(c); }

    void u32(uint32_t v) {
        for (int i = 0; i < 4; i++) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }

    void u64(uint64_t v) {
        for (int i = 0; i < 8; i++) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }

    void bytes(std::string_view s) {
        u32(static_cast<uint32_t>(s.size()));
        out.append(s.data(), s.size());
    }

    void node(const toml::node &n) {
        switch (n.type()) {
        case toml::node_type::table: {
            const auto &t = *n.as_table();
            tag('T');
            u32(static_cast<uint32_t>(t.size()));
            for (const auto &[key, value] : t) {
                bytes(key.str());
                node(value);
            }
            break;
        }
        case toml::node_type::array: {
            const auto &a = *n.as_array();
            tag('A');
            u32(static_cast<uint32_t>(a.size()));
            for (const auto &element : a) node(element);
            break;
        }
        case toml::node_type::string:
            tag('S');
            bytes(n.as_string()->get());
            break;
        case toml::node_type::integer:
            tag('I');
            u64(static_cast<uint64_t>(n.as_integer()->get()));
            break;
        case toml::node_type::floating_point: {
            tag('F');
            double d = n.as_floating_point()->get();
            uint64_t bits;
            std::memcpy(&bits, &d, sizeof bits);
            u64(bits);
            break;
        }
        case toml::node_type::boolean:
            tag('B');
            out.push_back(n.as_boolean()->get() ? 1 : 0);
            break;
        default:
            tag('D');
            break;
        }
    }
};

char *copy(std::string_view s) {
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p) {
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = 0;
    }
    return p;
}

}  // namespace

extern "C" ssot_toml_result ssot_toml_parse(const char *text, size_t n) {
    ssot_toml_result result{};
    toml::parse_result parsed = toml::parse(std::string_view(text, n));
    if (!parsed) {
        const toml::parse_error &error = parsed.error();
        result.error = copy(error.description());
        result.line = error.source().begin.line;
        result.column = error.source().begin.column;
        return result;
    }
    Writer writer;
    writer.node(parsed.table());
    result.size = writer.out.size();
    result.data = static_cast<unsigned char *>(std::malloc(result.size ? result.size : 1));
    if (!result.data) {
        result.error = copy("out of memory");
        return result;
    }
    std::memcpy(result.data, writer.out.data(), result.size);
    result.ok = 1;
    return result;
}

extern "C" void ssot_toml_free(ssot_toml_result *result) {
    std::free(result->data);
    std::free(result->error);
    result->data = nullptr;
    result->error = nullptr;
}
