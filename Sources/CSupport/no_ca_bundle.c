/*
 * Debian's libgit2 1.5 is built against mbedTLS, and git_libgit2_init()
 * parses the whole system CA bundle (/etc/ssl/certs/ca-certificates.crt)
 * for HTTPS remotes: about 5 ms, a large share of a pre-commit run. ssot
 * never fetches or pushes through libgit2; it only reads the local
 * repository.
 *
 * This definition, exported from the ssot executable
 * (--export-dynamic-symbol in Package.swift), is bound by the dynamic linker
 * ahead of libmbedx509's, so libgit2's init loads no certificates. It fails
 * closed: were ssot ever to open a TLS connection through libgit2, there
 * would be no trusted CA and certificate verification would fail.
 */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);

int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return -1;
}
