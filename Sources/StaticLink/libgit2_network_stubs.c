/*
 * With SSOT_STATIC=1, ssot links libgit2 statically (Package.swift): loading Debian's
 * libgit2.so and the fifteen libraries it pulls in cost about 3 ms per run,
 * more than a pre-commit check of a small change. ssot only reads the local
 * repository; it never fetches or pushes through libgit2. Three pieces of
 * libgit2's network set-up would still cost something, so they are replaced
 * here: the first two fail closed, the third keeps TLS working; SSH is left
 * out altogether.
 *
 * The CA bundle. Debian's libgit2 is built against mbedTLS, and
 * git_libgit2_init() parses the whole system CA bundle for HTTPS remotes:
 * about 5 ms. The link wraps that call (--wrap in Package.swift) to this
 * function, which loads nothing: were ssot ever to open a TLS connection
 * through libgit2, no CA would be trusted and verification would fail.
 *
 * GSSAPI. libgit2's HTTP "Negotiate" authentication calls Kerberos, which
 * Debian ships only as a shared library with five more behind it. These
 * definitions make every GSSAPI call fail, so that authentication method
 * is never offered.
 *
 * HAVEGE. git_libgit2_init() seeds mbedTLS's random generator, and Debian's
 * mbedTLS 2.28 includes the HAVEGE entropy source (which mbedTLS 3 removed
 * as unreliable): its init busy-loops on the CPU's cycle counter for about
 * a quarter of a millisecond on every run. The link wraps its init to a
 * plain clearing and its poll to getrandom(2), the kernel generator that
 * mbedTLS's platform source reads as well, so the generator is seeded from
 * the kernel as before, and a failure of getrandom still fails the seeding.
 *
 * SSH. libssh2 is not linked at all (libssh2_stubs.c): libgit2's SSH transport
 * fails closed, and OpenSSL's libcrypto, which came in behind libssh2, is gone.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <mbedtls/entropy.h>
#include <mbedtls/havege.h>

int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path);

int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return -1;
}

void __wrap_mbedtls_havege_init(mbedtls_havege_state *state);
int __wrap_mbedtls_havege_poll(void *data, unsigned char *output, size_t len, size_t *olen);

void __wrap_mbedtls_havege_init(mbedtls_havege_state *state) {
    memset(state, 0, sizeof(*state));
}

int __wrap_mbedtls_havege_poll(void *data, unsigned char *output, size_t len, size_t *olen) {
    (void)data;
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(output + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            *olen = got;
            return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
        }
        got += (size_t)n;
    }
    *olen = got;
    return 0;
}

/* GSS_S_FAILURE: the major status of a call that could not be completed. */
#define SSOT_GSS_FAILURE (13u << 16)

typedef uint32_t ssot_gss_status;

void *GSS_C_NT_HOSTBASED_SERVICE = 0;

ssot_gss_status gss_delete_sec_context(ssot_gss_status *minor, void *context, void *token) {
    (void)context; (void)token;
    if (minor) *minor = 0;
    return SSOT_GSS_FAILURE;
}

ssot_gss_status gss_release_buffer(ssot_gss_status *minor, void *buffer) {
    (void)buffer;
    if (minor) *minor = 0;
    return 0;
}

ssot_gss_status gss_release_oid_set(ssot_gss_status *minor, void *set) {
    (void)set;
    if (minor) *minor = 0;
    return 0;
}

ssot_gss_status gss_release_name(ssot_gss_status *minor, void *name) {
    (void)name;
    if (minor) *minor = 0;
    return 0;
}

ssot_gss_status gss_init_sec_context(ssot_gss_status *minor, void *a, void *b, void *c, void *d, uint32_t e, uint32_t f,
                                     void *g, void *h, void *i, void *j, uint32_t *k, uint32_t *l) {
    (void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g; (void)h; (void)i; (void)j; (void)k; (void)l;
    if (minor) *minor = 0;
    return SSOT_GSS_FAILURE;
}

ssot_gss_status gss_indicate_mechs(ssot_gss_status *minor, void **set) {
    if (minor) *minor = 0;
    if (set) *set = 0;
    return SSOT_GSS_FAILURE;
}

ssot_gss_status gss_import_name(ssot_gss_status *minor, void *buffer, void *type, void **name) {
    (void)buffer; (void)type;
    if (minor) *minor = 0;
    if (name) *name = 0;
    return SSOT_GSS_FAILURE;
}

ssot_gss_status gss_display_status(ssot_gss_status *minor, uint32_t status, int type, void *mech, uint32_t *context,
                                   void *buffer) {
    (void)status; (void)type; (void)mech; (void)buffer;
    if (minor) *minor = 0;
    if (context) *context = 0;
    return SSOT_GSS_FAILURE;
}
