#ifndef RELAIS_SYSTEM_H
#define RELAIS_SYSTEM_H

/// syncfs(2), which glibc declares only under _GNU_SOURCE (invisible to Swift's Glibc module):
/// flushes the whole file system holding fd, once, instead of fsync-ing every blob.
int relais_syncfs(int fd);

#endif
