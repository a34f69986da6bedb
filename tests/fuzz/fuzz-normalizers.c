/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the normalizers (make fuzz); see pd_fuzz_normalize(). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "pd-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  pd_fuzz_normalize (data, size);
  return 0;
}
