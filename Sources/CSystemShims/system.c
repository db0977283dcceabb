#define _GNU_SOURCE
#include <unistd.h>
#include "relais_system.h"

int relais_syncfs(int fd) {
#ifdef __linux__
    return syncfs(fd);
#else
    return fsync(fd);
#endif
}
