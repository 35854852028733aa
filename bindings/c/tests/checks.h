/* What the C test files share: a named check and the allocation count
 * (test_c_abi.c interposes malloc, calloc and realloc). */
#ifndef SMTPCORE_C_CHECKS_H
#define SMTPCORE_C_CHECKS_H

#include "smtpcore.h"

void check(const char* name, int ok);
/* Replays a transcript at several input/ack splits, checking zero allocations (test_c_abi.c). */
void replay(const char* name, const smtpcore_config* config, const char* transcript);
extern unsigned long allocations;

void test_mime_writer(void);
void test_dns(void);
void test_envelope_extensions(void);
void test_chunking(void);
void test_lmtp(void);

#endif
