package dev.wisp.controller.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** A tenant's spending limit per calendar period (UTC). Crossing it raises a platform event. */
public record Budget(String tenant, double amountUsd, Period period) {
    public enum Period {
        DAY, MONTH;

        /** Start (epoch ms, UTC) of the period that contains {@code epochMillis}. */
        public long startOf(long epochMillis) {
            LocalDate d = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate();
            if (this == MONTH) d = d.with(TemporalAdjusters.firstDayOfMonth());
            return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
    }

    public Budget {
        if (!(amountUsd > 0) || Double.isInfinite(amountUsd)) {
            throw new IllegalArgumentException("AmountUsd must be a positive number");
        }
    }
}
