'use strict';
// A participant row's "new official" boxes are shown only while no existing official is
// picked in the row (the form refuses both at once).
(function() {
    function sync(row) {
        const official = row && row.querySelector('td.field-official select');
        const cell = row && row.querySelector('td.field-new_official');
        if (!official || !cell) {
            return;
        }
        for (const input of cell.querySelectorAll('input')) {
            input.hidden = Boolean(official.value) && !input.value;
        }
    }
    document.addEventListener('DOMContentLoaded', function() {
        document.querySelectorAll('#participations-group tr.form-row').forEach(sync);
        // Select2 (the autocomplete) announces a pick through jQuery's change event.
        window.django.jQuery(document).on(
            'change', '#participations-group td.field-official select',
            function() { sync(this.closest('tr')); }
        );
        document.addEventListener('formset:added', function(event) {
            sync(event.target.closest ? event.target.closest('tr') : null);
        });
    });
})();
