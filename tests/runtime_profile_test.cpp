// Placeholder: replaced by the runtime-profile readers' tests.
#include <gtest/gtest.h>

TEST(runtime_profile, placeholder) { GTEST_SKIP() << "not written yet"; }
