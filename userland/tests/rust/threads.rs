// Rust std (glibc, static): threads, Mutex, Condvar, channels, scoped threads, a panic
// caught at join, and std::process::Command running this program again.
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() > 1 && args[1] == "child" {
        println!("child here");
        std::process::exit(5);
    }
    let counter = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let c = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..1000 {
                    *c.lock().unwrap() += 1;
                }
                i * 2
            })
        })
        .collect();
    let sum: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("counter {} sum {}", *counter.lock().unwrap(), sum);

    let (tx, rx) = mpsc::channel();
    for i in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || tx.send(i * 10).unwrap());
    }
    drop(tx);
    let mut got: Vec<i32> = rx.iter().collect();
    got.sort();
    println!("channel {:?}", got);

    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let p2 = Arc::clone(&pair);
    let t = thread::spawn(move || {
        let (l, c) = &*p2;
        *l.lock().unwrap() = true;
        c.notify_one();
    });
    let (l, c) = &*pair;
    let mut ready = l.lock().unwrap();
    while !*ready {
        ready = c.wait(ready).unwrap();
    }
    drop(ready);
    t.join().unwrap();
    println!("condvar ok");

    let mut data = vec![1, 2, 3, 4];
    thread::scope(|s| {
        for x in data.iter_mut() {
            s.spawn(move || *x *= 10);
        }
    });
    println!("scoped {:?}", data);

    std::panic::set_hook(Box::new(|_| {}));
    let r = thread::spawn(|| panic!("on purpose")).join();
    println!("panic caught at join: {}", r.is_err());

    let out = std::process::Command::new("/proc/self/exe").arg("child").output().unwrap();
    println!("child status {:?}, said {:?}", out.status.code(), String::from_utf8_lossy(&out.stdout));
}
