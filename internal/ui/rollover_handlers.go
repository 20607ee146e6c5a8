package ui

import "net/http"

// Placeholders until the rollover handlers are written.

func (s *Server) rolloverShow(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) rolloverCopy(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) rolloverConfirm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
