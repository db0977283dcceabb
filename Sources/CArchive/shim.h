#ifndef RELAIS_CARCHIVE_SHIM_H
#define RELAIS_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <sys/stat.h>
#if defined(__APPLE__)
#include <xlocale.h>

// The "C" LC_CTYPE locale, for writing a test zip whose non-UTF-8 name carries no UTF-8 flag.
static inline locale_t relais_new_posix_locale(void) {
    return newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
}

#endif

// Swift cannot import the cast AE_IF* macros of archive_entry.h; re-export them as constants.
static const unsigned int relais_AE_IFMT = AE_IFMT;
static const unsigned int relais_AE_IFREG = AE_IFREG;
static const unsigned int relais_AE_IFLNK = AE_IFLNK;
static const unsigned int relais_AE_IFSOCK = AE_IFSOCK;
static const unsigned int relais_AE_IFCHR = AE_IFCHR;
static const unsigned int relais_AE_IFBLK = AE_IFBLK;
static const unsigned int relais_AE_IFDIR = AE_IFDIR;
static const unsigned int relais_AE_IFIFO = AE_IFIFO;

// The mode bits refused on import (S_ISUID/S_ISGID are plain ints on some libcs, macros on others).
static const unsigned int relais_S_ISUID = S_ISUID;
static const unsigned int relais_S_ISGID = S_ISGID;

// A UTF-8 LC_CTYPE locale for uselocale(): libarchive converts entry names through the current
// locale's charset, and in the "C" locale a zip name flagged UTF-8 comes back NULL. Setting it per
// thread (not setlocale) keeps the rest of the process untouched. NULL when none exists.
static inline locale_t relais_new_utf8_locale(void) {
    const char *names[] = { "C.UTF-8", "C.utf8", "UTF-8", "en_US.UTF-8" };
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        locale_t l = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (l != (locale_t)0) return l;
    }
    return (locale_t)0;
}


// The "C" LC_CTYPE locale, for writing a test zip whose non-UTF-8 name carries no UTF-8 flag.
static inline locale_t relais_new_posix_locale(void) {
    return newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
}

#endif
