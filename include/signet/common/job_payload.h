// Job payloads: what a durable background job works on, stored with the job as a flat object of
// string fields (e.g. {"id": "ord_..."}). The encoding is hidden here so that services name their
// fields without speaking JSON.
//
// Thread-safety: pure functions.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "signet/common/status.h"

namespace signet {

std::string EncodeJobPayload(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields);
// The string field `field` of a payload; 400 bad_job_payload when the payload is not an object or
// lacks it.
Result<std::string> JobPayloadField(std::string_view payload, std::string_view field);

}  // namespace signet
