/* Lua 5.4 (Debian's liblua5.4.a, linked statically with glibc) running a script that
 * uses what Lua's own tests lean on: strings and patterns, tables and sorting,
 * closures, coroutines, errors with pcall, integer and float arithmetic, string.format,
 * files in /tmp, os.execute and io.popen (which start /bin/sh), os.time and os.clock. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>

static const char *SCRIPT =
    "local t = {}\n"
    "for w in ('the quick brown fox jumps over the lazy dog'):gmatch('%a+') do t[#t + 1] = w end\n"
    "table.sort(t, function(a, b) return #a < #b or (#a == #b and a < b) end)\n"
    "print(table.concat(t, ','))\n"
    "print(('hello world'):gsub('o', '0'), ('%d|%5.2f|%x|%q'):format(42, math.pi, 255, 'a\\nb'))\n"
    "local function counter() local n = 0; return function() n = n + 1; return n end end\n"
    "local c = counter(); c(); c(); print('closure', c())\n"
    "local co = coroutine.wrap(function(a) local b = coroutine.yield(a * 2); return a + b end)\n"
    "print('coroutine', co(5), co(10))\n"
    "local ok, e = pcall(function() error({code = 7}) end); print('pcall', ok, e.code)\n"
    "print('error message', select(2, pcall(function() local x = nil; return x.y end)) ~= nil)\n"
    "print('integers', 7 // 2, 7 % 3, 2^10, math.maxinteger, 1 << 62, 10 / 4)\n"
    "local f = assert(io.open('/tmp/lua-corpus.txt', 'w')); f:write('line 1\\nline 2\\n'); f:close()\n"
    "local n = 0; for l in io.lines('/tmp/lua-corpus.txt') do n = n + #l end; print('file chars', n)\n"
    "os.remove('/tmp/lua-corpus.txt')\n"
    "print('execute', os.execute('exit 3'))\n"
    "local p = io.popen('echo from a shell; echo second'); local out = p:read('a'); print('popen', out, p:close())\n"
    "print('time', type(os.time()), os.clock() >= 0, os.getenv('HOME'))\n"
    "local big = {}; for i = 1, 20000 do big[i] = tostring(i) end; print('gc', #table.concat(big), collectgarbage('count') > 0)\n";

int main(void) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_dostring(L, SCRIPT) != LUA_OK) {
        printf("error: %s\n", lua_tostring(L, -1));
        return 1;
    }
    lua_close(L);
    return 0;
}
