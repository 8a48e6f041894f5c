#include "Core/InternedString.h"

#include "llvm/ADT/DenseMap.h"

#include "gtest/gtest.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace forksafety;

namespace {

TEST(InternedStringTest, EqualTextsShareOneString) {
  std::string Built = std::string("c:@F@") + "zmalloc";
  InternedString A("c:@F@zmalloc"), B(Built);
  EXPECT_EQ(A, B);
  EXPECT_EQ(A.address(), B.address());
  EXPECT_EQ(&A.str(), &B.str());
  EXPECT_NE(A, InternedString("c:@F@zfree"));
  EXPECT_EQ(A, llvm::StringRef("c:@F@zmalloc"));
  EXPECT_EQ(A, Built);
  EXPECT_NE(A, "c:@F@zfree");
}

TEST(InternedStringTest, EmptyIsTheDefault) {
  InternedString Default;
  EXPECT_TRUE(Default.empty());
  EXPECT_EQ(Default, InternedString(""));
  EXPECT_EQ(Default, InternedString(std::string()));
  EXPECT_EQ(Default.size(), 0u);
}

TEST(InternedStringTest, SetsAreOrderedByText) {
  // Interned in an order that differs from the text's.
  InternedString Late("zz-ordered-late"), Early("aa-ordered-early"),
      Middle("mm-ordered-middle");
  std::set<InternedString> Set{Late, Early, Middle};
  std::vector<std::string> Texts;
  for (InternedString S : Set)
    Texts.push_back(S.str());
  EXPECT_EQ(Texts,
            (std::vector<std::string>{"aa-ordered-early", "mm-ordered-middle",
                                      "zz-ordered-late"}));
  EXPECT_FALSE(Late < Late);
}

TEST(InternedStringTest, HashesByAddress) {
  llvm::DenseMap<InternedString, int> Numbers;
  Numbers[InternedString("first-key")] = 1;
  Numbers[InternedString(std::string("second-") + "key")] = 2;
  EXPECT_EQ(Numbers.lookup(InternedString("first-key")), 1);
  EXPECT_EQ(Numbers.lookup(InternedString("second-key")), 2);
  EXPECT_EQ(Numbers.count(InternedString("third-key")), 0u);
}

TEST(InternedStringTest, ThreadsInterningTogetherAgree) {
  // Translation units are recorded on several threads at once.
  std::vector<const void *> Seen(8);
  std::vector<std::thread> Threads;
  for (size_t I = 0; I < Seen.size(); ++I)
    Threads.emplace_back([&Seen, I] {
      for (int Round = 0; Round < 1000; ++Round)
        InternedString("round-" + std::to_string(Round));
      Seen[I] = InternedString("shared-by-threads").address();
    });
  for (std::thread &T : Threads)
    T.join();
  for (const void *Address : Seen)
    EXPECT_EQ(Address, Seen.front());
}

} // namespace
