//===- ThreadCreatorsTest.cpp - Names in the thread-creator table ---------===//

#include "Core/Threads/ThreadCreators.h"

#include "gtest/gtest.h"

namespace forksafety {
namespace {

TEST(ThreadCreatorsTest, ExactNamesMatch) {
  EXPECT_TRUE(matchesLibraryName("std::async", "std::async"));
  EXPECT_TRUE(matchesLibraryName("QThread::start", "QThread::start"));
  EXPECT_FALSE(matchesLibraryName("std::async", "std::asynchronous"));
}

TEST(ThreadCreatorsTest, InternalNamespacesOfTheLibraryMatch) {
  EXPECT_TRUE(
      matchesLibraryName("tbb::parallel_for", "tbb::detail::d1::parallel_for"));
  EXPECT_TRUE(matchesLibraryName("tbb::task_group::run",
                                 "tbb::detail::d1::task_group::run"));
}

TEST(ThreadCreatorsTest, OtherLibrariesAndSuffixesDoNotMatch) {
  EXPECT_FALSE(matchesLibraryName("tbb::parallel_for", "mylib::parallel_for"));
  EXPECT_FALSE(
      matchesLibraryName("tbb::parallel_for", "tbb::detail::parallel_for_x"));
  EXPECT_FALSE(matchesLibraryName("tbb::task_group::run",
                                  "tbb::detail::other_group::run"));
  EXPECT_FALSE(matchesLibraryName("pthread_create", "my::pthread_create"));
}

} // namespace
} // namespace forksafety
