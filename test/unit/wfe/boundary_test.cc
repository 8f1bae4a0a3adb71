// The web front end's boundary, checked by the compiler: handlers hold storage read-only, so
// every write goes through ra, accounts or notify (docs/ARCHITECTURE.md).
#include <gtest/gtest.h>

#include <type_traits>

#include "wfe/handlers.h"

namespace signet::wfe {
namespace {

static_assert(std::is_same_v<decltype(HandlerDeps::storage), const sa::StorageView&>,
              "handlers must see storage only through the read-only view");
static_assert(!std::is_convertible_v<const sa::StorageView&, sa::Storage&>,
              "the view must not hand out the writable storage");

TEST(BoundaryTest, HandlersHoldOnlyTheReadOnlyView) { SUCCEED(); }

}  // namespace
}  // namespace signet::wfe
