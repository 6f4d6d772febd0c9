/**
 * A small Redis protocol (RESP2) server on the core module, measured against {@code redis-server} with
 * {@code redis-benchmark} ({@code benchmarks/scripts/resp-compare.sh}): PING, ECHO, SET, GET, DEL, INCR,
 * QUIT and the {@code CONFIG GET} that {@code redis-benchmark} asks at start, as RESP arrays of bulk strings
 * or inline commands, pipelined. One loop thread owns the data.
 */
package io.github.asyncore.benchmarks.resp;
