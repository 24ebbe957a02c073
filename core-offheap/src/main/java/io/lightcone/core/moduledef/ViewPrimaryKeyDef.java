package io.lightcone.core.moduledef;

import java.util.List;

/**
 * The columns that identify a view's rows for clients ({@code ViewPrimaryKeys} section of V10).
 *
 * @param view    the view's canonical name.
 * @param columns the column names, as written by the module.
 */
public record ViewPrimaryKeyDef(String view, List<String> columns)
{
    /**
     * Copies the column list.
     *
     * @param view    the view's canonical name.
     * @param columns the column names.
     */
    public ViewPrimaryKeyDef
    {
        columns = List.copyOf(columns);
    }
}
