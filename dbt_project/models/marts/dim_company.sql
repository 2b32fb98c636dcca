with

filings as (

    select * from {{ ref('int_filings_versioned') }}
    where status = 'parsed' and company_id is not null

),

tickers as (

    select
        filing_id,
        string_agg(
            coalesce(ticker.exchange || ':', '') || ticker.symbol,
            ', '
            order by ticker.exchange, ticker.symbol
        ) as tickers,

    from (
        select
            filing_id,
            unnest(
                from_json(tickers_json, '[{"exchange": "VARCHAR", "symbol": "VARCHAR"}]')
            ) as ticker,
        from filings
        where tickers_json is not null
    )
    where ticker.symbol is not null
    group by filing_id

),

final as (

    -- the latest current filing names the company; the latest one listing tickers gives them
    select
        filings.company_id,
        coalesce(
            arg_max(filings.company_name, filings.filed_order)
                filter (where filings.is_current_version and filings.company_name is not null),
            'Unidentified (' || any_value(filings.filing_key) || ')'
        ) as company_name,
        bool_or(filings.is_company_identified) as is_identified,
        arg_max(tickers.tickers, filings.filed_order)
            filter (where filings.is_current_version and tickers.tickers is not null) as tickers,
        any_value(filings.fiscal_year_end_month) as fiscal_year_end_month,
        count(*) filter (where filings.is_current_version) as filing_count,
        min(filings.period_end) filter (where filings.is_current_version) as first_period_end,
        max(filings.period_end) filter (where filings.is_current_version) as last_period_end,

    from filings
    left join tickers
        on filings.filing_id = tickers.filing_id
    group by filings.company_id

)

select * from final
