"""The parser's vocabulary, each idea in one module: numbers, dates and periods, currencies
and scale words, units, commodities and estimate categories, concepts, signs, economics."""
