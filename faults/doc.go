// Package faults holds Rostrum's fault, abuse and bad-input suite: the
// real server killed with SIGKILL and restarted in the middle of its work,
// the authorization matrix over every route and actor, rate limits,
// hostile input and output, and clients that misbehave on purpose. Its
// tests drive the server only through its public interfaces; the fixes
// they led to live in the packages that own the code.
package faults
