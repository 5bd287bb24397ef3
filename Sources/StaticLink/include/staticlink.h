#ifndef SSOT_GITSTATIC_H
#define SSOT_GITSTATIC_H
/* Nothing to call: this target only replaces pieces of libgit2's network
   set-up when libgit2 is linked statically (see libgit2_network_stubs.c). */
#endif
