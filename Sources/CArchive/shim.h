#ifndef RELAIS_CARCHIVE_SHIM_H
#define RELAIS_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

// Swift cannot import the cast AE_IF* macros of archive_entry.h; re-export them as constants.
static const unsigned int relais_AE_IFMT = AE_IFMT;
static const unsigned int relais_AE_IFREG = AE_IFREG;
static const unsigned int relais_AE_IFLNK = AE_IFLNK;
static const unsigned int relais_AE_IFSOCK = AE_IFSOCK;
static const unsigned int relais_AE_IFCHR = AE_IFCHR;
static const unsigned int relais_AE_IFBLK = AE_IFBLK;
static const unsigned int relais_AE_IFDIR = AE_IFDIR;
static const unsigned int relais_AE_IFIFO = AE_IFIFO;

#endif
