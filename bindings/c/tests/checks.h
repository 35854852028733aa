/* What the C test files share: a named check and the allocation count
 * (test_c_abi.c interposes malloc, calloc and realloc). */
#ifndef SMTPCORE_C_CHECKS_H
#define SMTPCORE_C_CHECKS_H

void check(const char* name, int ok);
extern unsigned long allocations;

void test_mime_writer(void);
void test_dns(void);
void test_envelope_extensions(void);

#endif
