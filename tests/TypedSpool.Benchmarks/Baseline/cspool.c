/*
 * The floor a file spool can reach on this machine: the same protocol as TypedSpool and uWSGI (write a temporary
 * file, rename it into the spool; a consumer woken by inotify locks, reads and unlinks), with nothing else.
 * TypedSpool's figures are compared with it in the same run, because the disk's speed varies from run to run.
 *
 *   cspool enqueue DIR N FSYNC PRODUCERS   N tasks written by PRODUCERS threads; prints "tasks_per_s"
 *   cspool e2e DIR N FSYNC                 one producer thread and one consumer thread; prints "tasks_per_s"
 *
 * FSYNC=1 fsyncs each file before its rename and the directory after it (as a durable enqueue must).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static long total;
static int durable;
static atomic_long next_id;
static atomic_long consumed;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void enqueue_one(long id) {
    char tmp[4096], final[4096], body[64];
    snprintf(tmp, sizeof tmp, "%s/.tmp.%ld", dir, id);
    snprintf(final, sizeof final, "%s/uwsgi_spoolfile_on_c_%d_%ld", dir, getpid(), id);
    int len = snprintf(body, sizeof body, "id=%ld", id);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("open");
    if (write(fd, body, len) != len) die("write");
    if (durable && fsync(fd) != 0) die("fsync");
    close(fd);
    if (rename(tmp, final) != 0) die("rename");
    if (durable) {
        int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d < 0 || fsync(d) != 0) die("fsync dir");
        close(d);
    }
}

static void *producer(void *arg) {
    (void)arg;
    for (long id; (id = atomic_fetch_add(&next_id, 1)) < total;) enqueue_one(id);
    return NULL;
}

/* Scans after every wake-up, takes each task file under an OFD lock, reads it, unlinks it. */
static void *consumer(void *arg) {
    int in = *(int *)arg;
    char events[4096], path[4096], buf[256];
    while (atomic_load(&consumed) < total) {
        DIR *d = opendir(dir);
        if (!d) die("opendir");
        int found = 0;
        for (struct dirent *e; (e = readdir(d));) {
            if (strncmp(e->d_name, "uwsgi_spoolfile_on_", 19) != 0) continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            int fd = open(path, O_RDWR | O_CLOEXEC);
            if (fd < 0) continue;
            struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
            if (fcntl(fd, F_OFD_SETLK, &lock) == 0 && read(fd, buf, sizeof buf) > 0 && unlink(path) == 0) {
                atomic_fetch_add(&consumed, 1);
                found = 1;
            }
            close(fd);
        }
        closedir(d);
        if (!found && atomic_load(&consumed) < total && read(in, events, sizeof events) < 0) die("inotify read");
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: cspool enqueue DIR N FSYNC PRODUCERS | cspool e2e DIR N FSYNC\n");
        return 2;
    }
    dir = argv[2];
    total = atol(argv[3]);
    durable = atoi(argv[4]);
    double start = now();
    if (strcmp(argv[1], "enqueue") == 0 && argc >= 6) {
        int producers = atoi(argv[5]);
        pthread_t threads[64];
        for (int i = 0; i < producers && i < 64; i++) pthread_create(&threads[i], NULL, producer, NULL);
        for (int i = 0; i < producers && i < 64; i++) pthread_join(threads[i], NULL);
    } else if (strcmp(argv[1], "e2e") == 0) {
        int in = inotify_init1(IN_CLOEXEC);
        if (in < 0 || inotify_add_watch(in, dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) die("inotify");
        pthread_t p, c;
        pthread_create(&c, NULL, consumer, &in);
        pthread_create(&p, NULL, producer, NULL);
        pthread_join(p, NULL);
        pthread_join(c, NULL);
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    printf("%.0f\n", total / (now() - start));
    return 0;
}
