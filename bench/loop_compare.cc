// Two bare libcurl multi loops side by side, for src/engine/README.md's
// "Event loop" section: does socket_action + epoll beat curl_multi_poll?
//
//   poll:  curl_multi_poll -> curl_multi_perform -> curl_multi_info_read
//          (the engine's loop, src/engine/engine.cc Run)
//   epoll: curl_multi_socket_action driven by an epoll instance through
//          CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION
//
// Both fetch BASE1 .. BASEn (e.g. http://127.0.0.1:PORT/x/1 ..) with CONC
// transfers in flight, one fresh easy handle per transfer (as the engine does;
// connections are kept alive in the multi's cache), the engine's curl options,
// and a write callback that memmem-scans every body byte for a marker (the
// classifier's PHP scan, " on line ") so both do the same work per byte.
// Not a test: prints one `key=value ...` line; bench/loops drives it.
//
//   loop_compare poll|epoll BASE N [CONC] [MARKER]
//
// Figures: wall seconds and getrusage(RUSAGE_SELF) user+sys CPU of the fetch
// loop only (curl_global_init and set-up excluded), loop wake-ups (poll or
// epoll_wait calls), curl_multi_perform / socket_action calls, write
// callbacks, bytes, statuses and new connections (keep-alive check).
#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using Clock = std::chrono::steady_clock;

struct Counters {
  int64_t pages = 0, status_200 = 0, status_500 = 0, other = 0, errors = 0;
  int64_t bytes = 0, writes = 0, hits = 0, connects = 0;
  int64_t wakeups = 0, events = 0, drives = 0;  // drives: curl_multi_perform / socket_action calls
};

struct Bench {
  std::string base;
  std::string marker = " on line ";
  int64_t n = 0;
  int conc = 32;
  CURLM* multi = nullptr;
  int64_t next = 1;   // next URL number to start
  int active = 0;     // easy handles in the multi
  Counters c;
};

size_t Write(char* data, size_t size, size_t nmemb, void* userp) {
  auto* b = static_cast<Bench*>(userp);
  const size_t len = size * nmemb;
  b->c.bytes += static_cast<int64_t>(len);
  ++b->c.writes;
  // Every byte of every chunk, like the classifier's PHP marker scan.
  const char* p = data;
  const char* end = data + len;
  while (p < end) {
    const void* hit = memmem(p, static_cast<size_t>(end - p), b->marker.data(), b->marker.size());
    if (hit == nullptr) break;
    ++b->c.hits;
    p = static_cast<const char*>(hit) + 1;
  }
  return len;
}

size_t Header(char*, size_t size, size_t nitems, void*) { return size * nitems; }

// The engine's options for a plain-http GET (StartTransfer in engine.cc).
void Start(Bench& b) {
  CURL* e = curl_easy_init();
  if (e == nullptr) {
    std::fprintf(stderr, "curl_easy_init failed\n");
    std::exit(1);
  }
  const std::string url = b.base + std::to_string(b.next++);
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Header);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "beta-crawler loop_compare");
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 300L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 120000L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);  // engine defaults: 1 byte/s for 15 s
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 15L);
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  if (curl_multi_add_handle(b.multi, e) != CURLM_OK) {
    std::fprintf(stderr, "curl_multi_add_handle failed\n");
    std::exit(1);
  }
  ++b.active;
}

void StartMore(Bench& b) {
  while (b.active < b.conc && b.next <= b.n) Start(b);
}

// The one reaper: ends finished transfers and starts the next ones.
void Reap(Bench& b) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(b.multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* e = msg->easy_handle;
    ++b.c.pages;
    if (msg->data.result != CURLE_OK) {
      ++b.c.errors;
    } else {
      long code = 0;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
      if (code == 200) {
        ++b.c.status_200;
      } else if (code == 500) {
        ++b.c.status_500;
      } else {
        ++b.c.other;
      }
    }
    long connects = 0;
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
    b.c.connects += connects;
    curl_multi_remove_handle(b.multi, e);
    curl_easy_cleanup(e);
    --b.active;
  }
  StartMore(b);
}

// (a) What the engine does: poll (at most 100 ms), perform, reap.
void RunPoll(Bench& b) {
  StartMore(b);
  while (b.c.pages < b.n) {
    int numfds = 0;
    curl_multi_poll(b.multi, nullptr, 0, 100, &numfds);
    ++b.c.wakeups;
    b.c.events += numfds;
    int running = 0;
    curl_multi_perform(b.multi, &running);
    ++b.c.drives;
    Reap(b);
  }
}

// (b) socket_action + epoll.
struct Epoll {
  Bench* b = nullptr;
  int fd = -1;
  bool timer_set = false;
  Clock::time_point deadline{};
};

int SocketCallback(CURL*, curl_socket_t s, int what, void* userp, void* socketp) {
  auto* ep = static_cast<Epoll*>(userp);
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(ep->fd, EPOLL_CTL_DEL, s, nullptr);  // may be closed already: EBADF is fine
    return 0;
  }
  epoll_event ev{};
  ev.events = ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0u);
  ev.data.fd = s;
  if (socketp != nullptr) {
    if (epoll_ctl(ep->fd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT) epoll_ctl(ep->fd, EPOLL_CTL_ADD, s, &ev);
  } else {
    if (epoll_ctl(ep->fd, EPOLL_CTL_ADD, s, &ev) != 0 && errno == EEXIST) epoll_ctl(ep->fd, EPOLL_CTL_MOD, s, &ev);
    curl_multi_assign(ep->b->multi, s, ep);  // any non-null pointer: "registered"
  }
  return 0;
}

int TimerCallback(CURLM*, long timeout_ms, void* userp) {
  auto* ep = static_cast<Epoll*>(userp);
  if (timeout_ms < 0) {
    ep->timer_set = false;
  } else {
    ep->timer_set = true;
    ep->deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

void RunEpoll(Bench& b) {
  Epoll ep;
  ep.b = &b;
  ep.fd = epoll_create1(EPOLL_CLOEXEC);
  if (ep.fd < 0) {
    std::perror("epoll_create1");
    std::exit(1);
  }
  curl_multi_setopt(b.multi, CURLMOPT_SOCKETFUNCTION, &SocketCallback);
  curl_multi_setopt(b.multi, CURLMOPT_SOCKETDATA, &ep);
  curl_multi_setopt(b.multi, CURLMOPT_TIMERFUNCTION, &TimerCallback);
  curl_multi_setopt(b.multi, CURLMOPT_TIMERDATA, &ep);
  StartMore(b);  // curl_multi_add_handle sets a 0 ms timer: the first socket_action starts them
  epoll_event events[64];
  int running = 0;
  auto fire_timer_if_due = [&] {
    if (ep.timer_set && Clock::now() >= ep.deadline) {
      ep.timer_set = false;  // socket_action may set a new one
      curl_multi_socket_action(b.multi, CURL_SOCKET_TIMEOUT, 0, &running);
      ++b.c.drives;
    }
  };
  while (b.c.pages < b.n) {
    int wait_ms = 100;  // the engine's upper bound
    if (ep.timer_set) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(ep.deadline - Clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<int64_t>(left, 0, wait_ms));
    }
    const int nev = epoll_wait(ep.fd, events, 64, wait_ms);
    ++b.c.wakeups;
    for (int i = 0; i < nev; ++i) {
      int flags = 0;
      if ((events[i].events & EPOLLIN) != 0) flags |= CURL_CSELECT_IN;
      if ((events[i].events & EPOLLOUT) != 0) flags |= CURL_CSELECT_OUT;
      if ((events[i].events & (EPOLLERR | EPOLLHUP)) != 0) flags |= CURL_CSELECT_ERR;
      curl_multi_socket_action(b.multi, events[i].data.fd, flags, &running);
      ++b.c.drives;
    }
    if (nev > 0) b.c.events += nev;
    fire_timer_if_due();
    Reap(b);  // new handles set a 0 ms timer, fired on the next turn
  }
  curl_multi_setopt(b.multi, CURLMOPT_SOCKETFUNCTION, nullptr);
  curl_multi_setopt(b.multi, CURLMOPT_TIMERFUNCTION, nullptr);
  close(ep.fd);
}

double CpuSeconds(const rusage& r) {
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s poll|epoll BASE N [CONC] [MARKER]\n", argv[0]);
    return 2;
  }
  const std::string_view mode = argv[1];
  if (mode != "poll" && mode != "epoll") {
    std::fprintf(stderr, "mode must be poll or epoll, not %s\n", argv[1]);
    return 2;
  }
  Bench b;
  b.base = argv[2];
  b.n = std::strtoll(argv[3], nullptr, 10);
  if (argc > 4) b.conc = std::atoi(argv[4]);
  if (argc > 5) b.marker = argv[5];
  if (b.n <= 0 || b.conc <= 0 || b.marker.empty()) {
    std::fprintf(stderr, "N and CONC must be positive, MARKER non-empty\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  b.multi = curl_multi_init();
  curl_multi_setopt(b.multi, CURLMOPT_MAXCONNECTS, static_cast<long>(std::max(4, b.conc)));  // as the engine

  rusage r0{}, r1{};
  getrusage(RUSAGE_SELF, &r0);
  const auto t0 = Clock::now();
  if (mode == "poll") {
    RunPoll(b);
  } else {
    RunEpoll(b);
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  getrusage(RUSAGE_SELF, &r1);
  const double user = static_cast<double>(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
                      static_cast<double>(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6;
  const double cpu = CpuSeconds(r1) - CpuSeconds(r0);
  const double pages = static_cast<double>(b.c.pages);
  std::printf(
      "mode=%s pages=%lld wall_s=%.3f pages_per_s=%.1f user_s=%.3f sys_s=%.3f cpu_s_per_1000=%.4f "
      "wakeups=%lld wakeups_per_page=%.2f events=%lld drives=%lld writes=%lld bytes=%lld hits=%lld "
      "s200=%lld s500=%lld other=%lld errors=%lld connects=%lld vcsw=%ld ivcsw=%ld\n",
      argv[1], static_cast<long long>(b.c.pages), wall, pages / wall, user, cpu - user, cpu / pages * 1000.0,
      static_cast<long long>(b.c.wakeups), static_cast<double>(b.c.wakeups) / pages,
      static_cast<long long>(b.c.events), static_cast<long long>(b.c.drives), static_cast<long long>(b.c.writes),
      static_cast<long long>(b.c.bytes), static_cast<long long>(b.c.hits), static_cast<long long>(b.c.status_200),
      static_cast<long long>(b.c.status_500), static_cast<long long>(b.c.other), static_cast<long long>(b.c.errors),
      static_cast<long long>(b.c.connects), r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw);
  curl_multi_cleanup(b.multi);
  curl_global_cleanup();
  return b.c.errors == 0 && b.c.other == 0 ? 0 : 1;
}
