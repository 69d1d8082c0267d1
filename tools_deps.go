//go:build tools

package main

import (
	_ "github.com/gofiber/fiber/v2"
	_ "github.com/gofiber/contrib/websocket"
	_ "github.com/gorilla/websocket"
	_ "gorm.io/gorm"
	_ "gorm.io/driver/sqlite"
	_ "gorm.io/driver/postgres"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/knadh/koanf/v2"
	_ "github.com/knadh/koanf/parsers/yaml"
	_ "github.com/knadh/koanf/providers/file"
	_ "github.com/knadh/koanf/providers/env"
	_ "github.com/knadh/koanf/providers/confmap"
	_ "github.com/wneessen/go-mail"
	_ "github.com/emersion/go-smtp"
	_ "github.com/chromedp/chromedp"
	_ "golang.org/x/crypto/bcrypt"
	_ "github.com/go-gormigrate/gormigrate/v2"
	_ "github.com/yuin/goldmark"
	_ "github.com/microcosm-cc/bluemonday"
	_ "github.com/go-pdf/fpdf"
)
