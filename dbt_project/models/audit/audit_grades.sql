-- grade_range: a grade is a mass fraction, so % lies in [0, 100] (the physical limit); for
-- g/t the bound is 10,000 g/t (1 %): no reported reserve or resource of a precious metal
-- averages that much, so a higher figure is a misread column (ounces taken for grade).
-- equivalent_grade: the printed equivalent grade against the filing's stated formula
-- (raw.equivalence_terms), with each metal's grade converted into the unit the formula
-- reads it in; tolerance is the equivalent's half unit plus each term's half unit times
-- |coefficient|. A filing stating several formulas for one equivalent is judged by the one
-- closest to the printed figure; a line lacking one of the formula's metals is not judged.
with

estimates as (

    select * from {{ ref('stg_raw__estimates') }}

),

grades as (

    select * from {{ ref('stg_raw__estimate_grades') }}

),

terms as (

    select * from {{ ref('stg_raw__equivalence_terms') }}

),

ranged as (

    select
        grades.*,
        estimates.table_index,
        estimates.source_line,
        estimates.label,
        estimates.category,
        case grades.grade_unit when '%' then 100.0 when 'g/t' then 10000.0 end as upper_limit,

    from grades
    inner join estimates
        on grades.filing_id = estimates.filing_id
        and grades.estimate_index = estimates.estimate_index
    where grades.grade is not null

),

grade_range as (

    select
        'grade_range' as check_name,
        filing_id,
        cast(estimate_index as varchar) || '|' || commodity as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''' ' || category || ', '
            || commodity || ' grade' as subject,
        table_index,
        source_line,
        null as expected,
        grade as observed,
        0 as tolerance,
        grade_unit as unit,
        0 as lower_bound,
        upper_limit as upper_bound,
        'grade ' || {{ fmt('grade', 4) }} || ' ' || grade_unit || ', allowed 0 to '
            || cast(upper_limit as varchar) as detail,
    from ranged
    where upper_limit is not null

),

equivalents as (

    select ranged.*
    from ranged
    where ranged.commodity in (select commodity from terms)

),

formula_terms as (

    -- every (equivalent line, formula, term) with the term metal's grade in the formula's unit
    select
        equivalents.filing_id,
        equivalents.estimate_index,
        terms.formula_index,
        any_value(terms.intercept) as intercept,
        any_value(terms.unit) as formula_unit,
        any_value(terms.source_line) as formula_line,
        count(*) as term_count,
        count(metal.grade) as graded_terms,
        -- fsum(): the same total whatever order the join returns the terms in
        fsum(terms.coefficient * metal.grade / {{ grade_factor('terms.term_unit', commodity_class('terms.term_commodity')) }})
            as terms_value,
        fsum(abs(terms.coefficient) * {{ half_unit('metal.grade_half_unit', 'metal.grade') }}
            / {{ grade_factor('terms.term_unit', commodity_class('terms.term_commodity')) }}) as terms_hu,
        string_agg(
            terms.term_commodity || ' ' || coalesce({{ fmt('metal.grade / ' ~ grade_factor('terms.term_unit', commodity_class('terms.term_commodity')), 4) }}, '?')
                || ' ' || coalesce(terms.term_unit, '?') || ' x ' || cast(terms.coefficient as varchar),
            ' + '
            order by terms.term_commodity
        ) as terms_text,

    from equivalents
    inner join terms
        on equivalents.filing_id = terms.filing_id
        and equivalents.commodity = terms.commodity
    left join grades as metal
        on metal.filing_id = equivalents.filing_id
        and metal.estimate_index = equivalents.estimate_index
        and metal.commodity = terms.term_commodity
    group by equivalents.filing_id, equivalents.estimate_index, terms.formula_index

),

evaluated as (

    select
        equivalents.*,
        formula_terms.formula_index,
        formula_terms.formula_line,
        formula_terms.terms_text,
        formula_terms.intercept,
        -- the printed equivalent in the formula's own unit
        equivalents.grade / {{ grade_factor('formula_terms.formula_unit', commodity_class('equivalents.commodity')) }}
            as printed,
        formula_terms.intercept + formula_terms.terms_value as computed,
        {{ half_unit('equivalents.grade_half_unit', 'equivalents.grade') }}
            / {{ grade_factor('formula_terms.formula_unit', commodity_class('equivalents.commodity')) }}
            + formula_terms.terms_hu as tolerance,
        formula_terms.formula_unit,

    from equivalents
    inner join formula_terms
        on equivalents.filing_id = formula_terms.filing_id
        and equivalents.estimate_index = formula_terms.estimate_index
    where formula_terms.graded_terms = formula_terms.term_count

),

closest as (

    select * from evaluated
    qualify row_number() over (
        partition by filing_id, estimate_index, commodity
        order by abs(printed - computed), formula_index
    ) = 1

),

equivalent_grade as (

    select
        'equivalent_grade' as check_name,
        filing_id,
        cast(estimate_index as varchar) || '|' || commodity as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''' ' || category || ', '
            || commodity || ' grade' as subject,
        table_index,
        source_line,
        computed as expected,
        printed as observed,
        tolerance,
        formula_unit as unit,
        computed - tolerance as lower_bound,
        computed + tolerance as upper_bound,
        'formula at line ' || cast(formula_line as varchar) || ': ' || cast(intercept as varchar) || ' + '
            || terms_text || ' = ' || {{ fmt('computed', 4) }} as detail,
    from closest
    where printed is not null and computed is not null

),

instances as (

    select * from grade_range
    union all by name
    select * from equivalent_grade

),

final as (

    {{ audit_select('instances', 'mining_physics', 'warn') }}

)

select * from final
