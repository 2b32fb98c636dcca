"""The filings stage: inbox, raw store, parsed raw tables, and the sensor that feeds them."""
