/* Replays S:/C:/E:/A:/R: dialogue transcripts (the format of
 * tests/unit/transcript.hpp) through the C ABI only.
 *
 *   S: <text>     the server sends <text> CRLF
 *   A: <action>   submit FROM TO..., body TEXT (\r \n escapes), body-end,
 *                 body-fail, cancel, quit, abort, tls, close, time MS
 *   R: <error>    the action just before was refused with this error kind
 *   C: <text>     the client sent <text> CRLF
 *   E: <event>    the engine reported: name [code] [x.y.z] [temporary|permanent]
 *                 [#index recipient] [[error-kind]] ["text"] (text compared
 *                 only when the line has one)
 *
 * Every event before an A: line must have been expected by then.
 * Server bytes are fed in pieces of `chunk` octets (0: a line at a time) and
 * output is acknowledged in pieces of the same size, so one transcript
 * replayed at several chunk sizes checks split invariance. */
#ifndef SMTPCORE_C_TRANSCRIPT_RUNNER_H
#define SMTPCORE_C_TRANSCRIPT_RUNNER_H

#include <stddef.h>

#include "smtpcore.h"

/* 0 when the replay matched; otherwise prints what differed and returns 1. */
int replay_transcript(const char* name, const smtpcore_config* config, const char* transcript, size_t chunk);

#endif
