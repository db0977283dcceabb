#ifndef RELAIS_CQRENCODE_SHIM_H
#define RELAIS_CQRENCODE_SHIM_H

// libqrencode (Debian: libqrencode-dev to build, libqrencode4 to run): QR codes for the séance
// hand-over sheet and the projector's join code, made on the box, no external service.
#include <qrencode.h>

#endif
