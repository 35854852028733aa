/* bench/peers/rusage_exec.c: runs a command and writes its CPU time and peak
 * RSS to a file, for scripts/bench-peers. A child of the Python script would
 * report the interpreter's resident pages as its peak (the child starts as a
 * copy of its parent); a child of this small program starts small.
 *
 *   rusage_exec OUTFILE COMMAND [ARG...]   writes "CPU_US MAXRSS_KIB" */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: rusage_exec OUTFILE COMMAND [ARG...]\n");
        return 64;
    }
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("rusage_exec: exec");
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) return 70;
    FILE* out = fopen(argv[1], "w");
    if (!out) return 73;
    fprintf(out, "%ld %ld\n",
            (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
            ru.ru_maxrss);
    fclose(out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
