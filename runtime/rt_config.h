/*
** rt_config.h — compile-time configuration of tinycep's device code, in one
** place (as luaconf.h does for Lua).  Every option has its default under
** #ifndef, so a firmware build overrides it with -D on the command line.
*/
#ifndef RUNTIME_RT_CONFIG_H
#define RUNTIME_RT_CONFIG_H

/*
** RT_NO_ERRSTR: define to compile out the status message strings
** (rt_status_str returns "").  Saves flash on firmware builds where nobody
** reads the messages.  Off by default.
*/

/*
** RT_ASSERT(c): internal invariant checks in device code.  Off by default
** (compiled to nothing); the host test build may define it to trap.
*/
#ifndef RT_ASSERT
#define RT_ASSERT(c) ((void)0)
#endif

#endif /* RUNTIME_RT_CONFIG_H */
