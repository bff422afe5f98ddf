# Fixtures for cases.txt, made the same way on the host and in the guest.
printf 'banana\napple\ncherry\napple\nBanana\n10\n9\n-3\n2.5\n\n' > fruits
printf 'one two three\nfour five six\nseven eight nine\n' > words
printf 'a:b:c\nd:e:f\ng:h:i\nno delimiter here\n' > colons
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:u:/home/user:/bin/sh\nbin:x:2:2:bin:/bin:/sbin/nologin\n' > passwd
printf 'aaa\naaa\nbbb\nccc\nccc\nccc\nAAA\naaa\n' > dups
printf 'hello world\n' > hello
printf 'hello world\n' > hello2
printf 'hello World\n' > hello3
printf 'hello' > short
: > empty
printf 'k3 30\nk1 10\nk2 20\nk10 5\nk2 2\n' > keys
printf '3\n1\n2\n1K\n2M\n1G\n512\n' > human
printf '\000\001\002abc\177\200\377\n\t end' > binary
i=0; while [ $i -lt 40 ]; do printf 'line %d of the file\n' $i; i=$((i + 1)); done > lines
printf 'x\ny\nz\n' > xyz
printf 'x\nY\nz\nw\n' > xyz2
mkdir -p tree/sub/deeper tree/other && printf 'a\n' > tree/a.txt && printf 'bb\n' > tree/sub/b.txt && printf 'ccc\n' > tree/sub/deeper/c.c && : > tree/other/empty.txt
