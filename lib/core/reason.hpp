// Reason texts for errors and local events. Internal.
//
// Every reason is a static string. Firmware that cannot spare the ~2 KiB of
// flash they take builds with -DSMTPCORE_NO_REASONS: the texts become empty,
// while the error kind, the phase and every reply's own text remain.
#pragma once

#ifdef SMTPCORE_NO_REASONS
#define SMTPCORE_REASON(text) ""
#else
#define SMTPCORE_REASON(text) text
#endif
