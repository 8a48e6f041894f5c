#pragma once
#include <thread>
#include <vector>

class Pool {
public:
  void start();
  void stop();

private:
  std::vector<std::thread> Threads;
};
