package ui

import "net/http"

// Placeholders until the school and SLA handlers are written.

func (s *Server) schoolList(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) schoolShow(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) slaShow(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) slaSave(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
