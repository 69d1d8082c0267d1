package store

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"rostrum/models"
)

// Models lists every table's model (models.All) in creation order: a
// table comes after the tables its foreign keys point to, so that Copy
// can insert them one table at a time. TestModelsAreEveryTableInForeignKeyOrder
// holds the order to the migrated schema.
func Models() []any {
	return models.All()
}

// Copy copies every row of src into dst, which must be empty: it is how a
// meeting's data moves from SQLite to PostgreSQL. dst is migrated first;
// rows keep their ids, and PostgreSQL's id sequences are moved past them.
func Copy(ctx context.Context, src, dst *gorm.DB, log *slog.Logger) error {
	if err := Migrate(dst); err != nil {
		return fmt.Errorf("migrate destination: %w", err)
	}
	for _, m := range Models() {
		var n int64
		if err := dst.WithContext(ctx).Model(m).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("destination is not empty: %s has %d rows", tableName(dst, m), n)
		}
	}
	return dst.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, m := range Models() {
			sch, err := parse(dst, m)
			if err != nil {
				return err
			}
			table := sch.Table
			batch := reflect.New(reflect.SliceOf(reflect.TypeOf(m).Elem())).Interface()
			copied := 0
			res := src.WithContext(ctx).Model(m).Order(strings.Join(sch.PrimaryFieldDBNames, ", ")).FindInBatches(batch, 500, func(_ *gorm.DB, _ int) error {
				rows := reflect.ValueOf(batch).Elem()
				if rows.Len() == 0 {
					return nil
				}
				copied += rows.Len()
				return tx.Omit(clause.Associations).Create(batch).Error
			})
			if res.Error != nil {
				return fmt.Errorf("copy %s: %w", table, res.Error)
			}
			serial := sch.PrioritizedPrimaryField != nil && sch.PrioritizedPrimaryField.AutoIncrement
			if Postgres(tx) && copied > 0 && serial {
				col := sch.PrioritizedPrimaryField.DBName
				err := tx.Exec(fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), (SELECT max(%s) FROM %s))`, table, col, col, table)).Error
				if err != nil {
					return fmt.Errorf("advance %s id sequence: %w", table, err)
				}
			}
			log.Info("copied", "table", table, "rows", copied)
		}
		return nil
	})
}

func tableName(db *gorm.DB, m any) string {
	sch, err := parse(db, m)
	if err != nil {
		return fmt.Sprintf("%T", m)
	}
	return sch.Table
}

func parse(db *gorm.DB, m any) (*schema.Schema, error) {
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(m); err != nil {
		return nil, err
	}
	return stmt.Schema, nil
}
