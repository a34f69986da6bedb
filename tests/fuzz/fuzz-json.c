/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the .json reader (customer lists and the bulk body), through pd_reader_open() (make fuzz). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "pd-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  pd_fuzz_read_bytes (data, size, "json");
  return 0;
}
