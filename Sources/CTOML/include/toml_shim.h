#ifndef SSOT_TOML_SHIM_H
#define SSOT_TOML_SHIM_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What parsing a TOML document gave: on success the document as a byte
/// stream (see toml_shim.cpp), on failure toml++'s message and where.
typedef struct ssot_toml_result {
    int ok;
    unsigned char *data;
    size_t size;
    char *error;
    uint32_t line;
    uint32_t column;
} ssot_toml_result;

/// Parses `n` bytes of UTF-8 with toml++ (TOML 1.0). Free the result with
/// `ssot_toml_free`.
ssot_toml_result ssot_toml_parse(const char *text, size_t n);

void ssot_toml_free(ssot_toml_result *result);

#ifdef __cplusplus
}
#endif
#endif
