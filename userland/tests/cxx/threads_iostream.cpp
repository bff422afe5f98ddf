// g++ (glibc, static): std::thread, mutex, condition_variable, atomics, futures,
// call_once, thread_local, exceptions across threads and iostreams.
#include <atomic>
#include <condition_variable>
#include <future>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static thread_local int tls_counter = 100;

int main() {
    std::atomic<int> hits{0};
    std::mutex m;
    std::map<int, int> per_thread;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; i++) {
        threads.emplace_back([&, i] {
            for (int k = 0; k < 500; k++) {
                hits++;
                tls_counter++;
            }
            std::lock_guard<std::mutex> g(m);
            per_thread[i] = tls_counter;
        });
    }
    for (auto &t : threads) {
        t.join();
    }
    std::cout << "hits " << hits << ", threads " << per_thread.size() << ", each " << per_thread[3]
              << ", main tls " << tls_counter << std::endl;

    std::condition_variable cv;
    bool ready = false;
    int value = 0;
    std::thread producer([&] {
        std::lock_guard<std::mutex> g(m);
        value = 42;
        ready = true;
        cv.notify_one();
    });
    {
        std::unique_lock<std::mutex> lk(m);
        cv.wait(lk, [&] { return ready; });
    }
    producer.join();
    std::cout << "condition variable delivered " << value << "\n";

    auto f = std::async(std::launch::async, [] { return std::string("from async"); });
    std::cout << f.get() << "\n";
    std::promise<int> p;
    auto pf = p.get_future();
    std::thread thrower([&p] {
        try {
            throw std::runtime_error("thrown in a thread");
        } catch (...) {
            p.set_exception(std::current_exception());
        }
    });
    try {
        pf.get();
    } catch (const std::exception &e) {
        std::cout << "caught: " << e.what() << "\n";
    }
    thrower.join();

    std::once_flag once;
    int once_runs = 0;
    std::vector<std::thread> onces;
    for (int i = 0; i < 4; i++) {
        onces.emplace_back([&] { std::call_once(once, [&] { once_runs++; }); });
    }
    for (auto &t : onces) {
        t.join();
    }
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << 3.14159 << " " << std::hex << 255;
    std::cout << "call_once ran " << once_runs << ", formatted " << os.str() << std::endl;
    std::cerr << "to stderr" << std::endl;
    return 0;
}
