/*
 * mem.h -- Lightcone C module kit: the tiny freestanding runtime (no libc).
 *   memcpy/memmove/memset/memcmp (non-static: clang may emit calls to them), stdb_strlen,
 *   stdb_streq, and a bump allocator over memory.grow starting at the linker's __heap_base.
 *   The heap can be rewound with stdb_heap_mark()/stdb_heap_release(); the dispatch helpers
 *   in stdb.h rewind it after every call, so nothing leaks across calls.
 * Each module is a single translation unit, so the definitions below live in the header.
 */
#ifndef STDB_MEM_H
#define STDB_MEM_H
#include "stdb_abi.h"

void *memcpy(void *dst, const void *src, size_t n) {
    uint8_t *d = dst; const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dst;
}
void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst; const uint8_t *s = src;
    if (d < s) { while (n--) *d++ = *s++; }
    else { d += n; s += n; while (n--) *--d = *--s; }
    return dst;
}
void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    while (n--) *d++ = (uint8_t)c;
    return dst;
}
int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}
static inline uint32_t stdb_strlen(const char *s) { uint32_t n = 0; while (s[n]) n++; return n; }
static inline int stdb_memeq(const void *a, const void *b, uint32_t n) { return memcmp(a, b, n) == 0; }
static inline int stdb_streq(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

/* ------------------------------------------------------------------ bump allocator */
extern unsigned char __heap_base;   /* provided by wasm-ld */
static uint32_t stdb_heap_top;      /* 0 until first use */

static inline uint32_t stdb_heap_mark(void) {
    if (!stdb_heap_top) stdb_heap_top = (uint32_t)&__heap_base;
    return stdb_heap_top;
}
static inline void stdb_heap_release(uint32_t mark) { stdb_heap_top = mark; }

/* Returns 8-aligned memory, or traps when memory.grow fails (out of memory is fatal). */
static void *stdb_alloc(uint32_t n) {
    uint32_t p = (stdb_heap_mark() + 7u) & ~7u;
    uint32_t end = p + n;
    if (end < p) __builtin_trap();
    uint32_t have = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        uint32_t pages = (end - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
    }
    stdb_heap_top = end;
    return (void *)p;
}
/* Grows the most recent allocation in place when possible, else copies. */
static void *stdb_realloc(void *old, uint32_t old_n, uint32_t new_n) {
    if (old && (uint32_t)old + old_n == stdb_heap_top) {
        stdb_heap_top = (uint32_t)old;
        void *p = stdb_alloc(new_n);   /* same address: alignment already satisfied */
        return p;
    }
    void *p = stdb_alloc(new_n);
    if (old) memcpy(p, old, old_n < new_n ? old_n : new_n);
    return p;
}
#endif
