// Minimal gRPC server for the forksafety tests.
#pragma once
namespace grpc {
class Server {
public:
  void Wait();
};
class ServerBuilder {
public:
  Server *BuildAndStart();
};
} // namespace grpc
