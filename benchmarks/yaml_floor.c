/* The floor for `agentpath` on a model file: a bare libyaml event parse of the same file.
 *
 *   cc -O2 -o yaml_floor benchmarks/yaml_floor.c -lyaml
 *   ./yaml_floor FILE [REPS]
 *
 * Reads FILE into memory once, then REPS times (default 5) runs libyaml's event parser over
 * it, counting events and doing nothing else. Prints one line:
 *   events=N bytes=B best_s=T median_s=M maxrss_kb=K
 * (times from CLOCK_MONOTONIC, per parse, excluding the read; peak RSS from getrusage).
 * Anything agentpath does on top of this — building nodes, the model, validation — is cost
 * above the floor. Exit 1 on a parse error, with libyaml's message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <yaml.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: yaml_floor FILE [REPS]\n"); return 2; }
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1) reps = 1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(size > 0 ? size : 1);
    if (!buf || fread(buf, 1, size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
    fclose(f);

    double *times = calloc(reps, sizeof *times);
    long events = 0;
    for (int r = 0; r < reps; r++) {
        yaml_parser_t parser;
        yaml_event_t event;
        long n = 0;
        double t0 = now();
        if (!yaml_parser_initialize(&parser)) { fprintf(stderr, "libyaml init failed\n"); return 1; }
        yaml_parser_set_input_string(&parser, buf, (size_t)size);
        for (;;) {
            if (!yaml_parser_parse(&parser, &event)) {
                fprintf(stderr, "%s: line %lu: %s\n", argv[1], (unsigned long)parser.problem_mark.line + 1,
                        parser.problem ? parser.problem : "parse error");
                return 1;
            }
            int done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            n++;
            if (done) break;
        }
        yaml_parser_delete(&parser);
        times[r] = now() - t0;
        events = n;
    }
    qsort(times, reps, sizeof *times, cmp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("events=%ld bytes=%ld best_s=%.6f median_s=%.6f maxrss_kb=%ld\n", events, size, times[0], times[reps / 2], ru.ru_maxrss);
    free(times);
    free(buf);
    return 0;
}
